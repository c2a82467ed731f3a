/* Non-PIC code linked into a shared object with -z notext: text relocations, otherwise
 * hardened like hardened.c. */
#include <string.h>

int counter;

int *Java_com_example_nativehard_MainActivity_where(void *env, void *cls)
{
    return &counter;
}

char *Java_com_example_nativehard_MainActivity_copyName(void *env, void *cls, const char *name)
{
    static char out[128];
    char tmp[32];
    strcpy(tmp, name);
    strcpy(out, tmp);
    return out;
}
