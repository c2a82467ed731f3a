/* Natives registered from JNI_OnLoad with RegisterNatives (not exported as Java_*). */
#include "mini_jni.h"

/* A license key compared with the input: found through the registration table. */
static jboolean check_license(JNIEnv *env, jclass cls, jstring key)
{
    return strcmp(UTF(env, key), "LIC-7731-QX9Z") == 0;
}

/* Near twin: two runtime strings compared. */
static jboolean same_license(JNIEnv *env, jclass cls, jstring a, jstring b)
{
    return strcmp(UTF(env, a), UTF(env, b)) == 0;
}

static const JNINativeMethod methods[] = {
    {"checkLicense", "(Ljava/lang/String;)Z", (void *)check_license},
    {"sameLicense", "(Ljava/lang/String;Ljava/lang/String;)Z", (void *)same_license},
};

int JNI_OnLoad(JavaVM *vm, void *reserved)
{
    JNIEnv *env;
    if (GET_ENV(vm, (void **)&env, 0x00010006) != 0)
        return -1;
    jclass cls = FIND_CLASS(env, "com/example/jniinput/Licenses");
    if (cls == 0 || REGISTER_NATIVES(env, cls, methods, 2) != 0)
        return -1;
    return 0x00010006;
}
