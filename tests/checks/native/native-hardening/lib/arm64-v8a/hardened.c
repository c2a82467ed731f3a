/* Stack protector, FORTIFY, full RELRO + BIND_NOW, non-executable stack, stripped. */
#include <string.h>

char *Java_com_example_nativehard_MainActivity_copyName(void *env, void *cls, const char *name)
{
    static char out[128];
    char tmp[32];
    strcpy(tmp, name);
    strcpy(out, tmp);
    return out;
}
