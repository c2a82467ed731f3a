/* JNI helper compiled without stack protector or RELRO, copying into a fixed buffer. */
#include <string.h>

int Java_com_example_demo_SyncService_checksum(void *env, void *cls, const char *data)
{
    char buf[32];
    int sum = 0;
    strcpy(buf, data);
    for (int i = 0; buf[i] != '\0'; i++)
        sum = sum * 31 + buf[i];
    return sum;
}
