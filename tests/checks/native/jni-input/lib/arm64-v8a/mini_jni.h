/* A minimal jni.h: only the table slots the fixture uses, at the indices the JNI
 * specification fixes (FindClass 6, GetStringUTFChars 169, GetArrayLength 171,
 * GetByteArrayElements 184,
 * RegisterNatives 215; JavaVM GetEnv 6). */
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

typedef void *jobject;
typedef jobject jclass;
typedef jobject jstring;
typedef jobject jbyteArray;
typedef unsigned char jboolean;
typedef const struct { void *fn[240]; } *JNIEnv;
typedef const struct { void *fn[8]; } *JavaVM;
typedef struct { const char *name; const char *signature; void *fnPtr; } JNINativeMethod;

typedef const char *(*GetStringUTFChars_t)(JNIEnv *, jstring, jboolean *);
typedef signed char *(*GetByteArrayElements_t)(JNIEnv *, jbyteArray, jboolean *);
typedef int (*GetArrayLength_t)(JNIEnv *, jobject);
typedef jclass (*FindClass_t)(JNIEnv *, const char *);
typedef int (*RegisterNatives_t)(JNIEnv *, jclass, const JNINativeMethod *, int);
typedef int (*GetEnv_t)(JavaVM *, void **, int);
#define UTF(env, s) (((GetStringUTFChars_t)(*(env))->fn[169])((env), (s), 0))
#define BYTES(env, a) (((GetByteArrayElements_t)(*(env))->fn[184])((env), (a), 0))
#define LENGTH(env, a) (((GetArrayLength_t)(*(env))->fn[171])((env), (a)))
#define FIND_CLASS(env, n) (((FindClass_t)(*(env))->fn[6])((env), (n)))
#define REGISTER_NATIVES(env, c, t, n) (((RegisterNatives_t)(*(env))->fn[215])((env), (c), (t), (n)))
#define GET_ENV(vm, e, v) (((GetEnv_t)(*(vm))->fn[6])((vm), (e), (v)))
