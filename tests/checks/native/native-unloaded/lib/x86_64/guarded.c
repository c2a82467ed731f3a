/* Near twin of orphan.c, also unloaded, built with canaries. */
#include <string.h>
int guarded_copy(const char *in) { char buf[64]; strcpy(buf, in); return (int)strlen(buf); }
