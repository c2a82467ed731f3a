/* No stack protector, but nothing from libc writes into a buffer: it only asks whether fixed
 * paths open (RootBeer's shape). */
#include <stdio.h>

int Java_com_example_canarypurpose_MainActivity_lookup(void *env, void *cls)
{
    const char *paths[] = {"/system/bin/su", "/system/xbin/su", "/sbin/su"};
    int found = 0;
    for (int i = 0; i < 3; i++) {
        FILE *f = fopen(paths[i], "r");
        if (f != NULL) {
            found++;
            fclose(f);
        }
    }
    return found;
}
