/* Release build (-O2, see build.json). */
#include "jni_functions.h"
