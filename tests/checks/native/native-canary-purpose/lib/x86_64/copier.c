/* No stack protector and a stack buffer that memcpy fills with as many bytes as the caller says. */
#include <string.h>

int Java_com_example_canarypurpose_MainActivity_copy(void *env, void *cls, const char *in, int n)
{
    char buf[64];
    memcpy(buf, in, (size_t)n);
    return buf[0];
}
