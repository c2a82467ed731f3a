/* Debug build (-O0, see build.json). */
#include "jni_functions.h"
