/* Loaded by MainActivity: its findings (none expected) would sit at the load call. */
#include <string.h>
int loaded_copy(const char *in) { char buf[64]; strcpy(buf, in); return (int)strlen(buf); }
