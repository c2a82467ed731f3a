/* JNI functions that compare or copy what Java passes them, included by checks.c (-O2) and
 * checks_debug.c (-O0). */
#include "mini_jni.h"

/* A vendor key in .rodata compared with the input. */
jboolean Java_com_example_jniinput_MainActivity_checkKey(JNIEnv *env, jobject cls, jstring key)
{
    return strncmp(UTF(env, key), "v3nd0r-K3y!", 11) == 0;
}

/* A code built byte by byte on the stack (hidden from `strings`) compared with the input. */
jboolean Java_com_example_jniinput_MainActivity_checkCode(JNIEnv *env, jobject cls, jbyteArray code)
{
    volatile char expected[13];
    expected[0] = 'o'; expected[1] = 'p'; expected[2] = 'e'; expected[3] = 'n';
    expected[4] = '-'; expected[5] = 's'; expected[6] = 'e'; expected[7] = 's';
    expected[8] = 'a'; expected[9] = 'm'; expected[10] = 'e'; expected[11] = '!';
    expected[12] = 0;
    return strncmp((const char *)BYTES(env, code), (const char *)expected, 12) == 0;
}

/* The input copied into a fixed stack buffer with strcpy: Java decides the length. */
int Java_com_example_jniinput_MainActivity_greet(JNIEnv *env, jobject cls, jstring name)
{
    char buf[32];
    strcpy(buf, UTF(env, name));
    return buf[0] == 'A';
}

/* Near twin: two runtime values compared, no constant. */
jboolean Java_com_example_jniinput_MainActivity_sameText(JNIEnv *env, jobject cls, jstring a, jstring b)
{
    return strcmp(UTF(env, a), UTF(env, b)) == 0;
}

/* Near twin: a command word, not a secret. */
jboolean Java_com_example_jniinput_MainActivity_isStartCommand(JNIEnv *env, jobject cls, jstring command)
{
    return strcmp(UTF(env, command), "start") == 0;
}

/* Near twin: bounded copy (strncpy with the buffer size). */
int Java_com_example_jniinput_MainActivity_boundedGreet(JNIEnv *env, jobject cls, jstring name)
{
    char buf[32];
    strncpy(buf, UTF(env, name), sizeof buf - 1);
    buf[sizeof buf - 1] = 0;
    return buf[0] == 'A';
}

/* Near twin: the length is checked before the strcpy. */
int Java_com_example_jniinput_MainActivity_checkedGreet(JNIEnv *env, jobject cls, jstring name)
{
    char buf[32];
    const char *in = UTF(env, name);
    if (strlen(in) >= sizeof buf)
        return -1;
    strcpy(buf, in);
    return buf[0] == 'A';
}

/* Near twin: the destination is sized from the input, on the heap. */
int Java_com_example_jniinput_MainActivity_heapGreet(JNIEnv *env, jobject cls, jstring name)
{
    const char *in = UTF(env, name);
    char *buf = malloc(strlen(in) + 1);
    if (buf == 0)
        return -1;
    strcpy(buf, in);
    int r = buf[0] == 'A';
    free(buf);
    return r;
}

/* A key XOR-encoded in a helper that fills the caller's buffer, compared byte by byte with
 * the input after decoding with a mask set from Java (UnCrackable Level 3's scheme). */
static char xor_mask[12];

void Java_com_example_jniinput_MainActivity_setMask(JNIEnv *env, jobject cls, jbyteArray mask)
{
    strncpy(xor_mask, (const char *)BYTES(env, mask), sizeof xor_mask);
}

__attribute__((noinline)) static void encoded_key(char *out)
{
    out[0] = 0x1d; out[1] = 0x08; out[2] = 0x11; out[3] = 0x13; out[4] = 0x0f; out[5] = 0x17;
    out[6] = 0x49; out[7] = 0x15; out[8] = 0x0d; out[9] = 0x02; out[10] = 0x03; out[11] = 0x19;
}

jboolean Java_com_example_jniinput_MainActivity_checkEncoded(JNIEnv *env, jobject cls, jbyteArray code)
{
    char key[12];
    encoded_key(key);
    const signed char *in = BYTES(env, code);
    for (int i = 0; i < 12; i++)
        if (in[i] != (key[i] ^ xor_mask[i]))
            return 0;
    return 1;
}

/* Near twin: each input byte looked up in a constant alphabet (another index): a decoder,
 * not a compare with a secret. */
int Java_com_example_jniinput_MainActivity_countHex(JNIEnv *env, jobject cls, jbyteArray data)
{
    static const char hex[] = "0123456789abcdef";
    const signed char *in = BYTES(env, data);
    int n = 0;
    for (int i = 0; i < 8; i++)
        for (int j = 0; j < 16; j++)
            if (in[i] == hex[j])
                n++;
    return n;
}

/* A key array initialised from .rodata by memcpy, then compared with memcmp. */
jboolean Java_com_example_jniinput_MainActivity_checkToken(JNIEnv *env, jobject cls, jbyteArray token)
{
    static const char stored[16] = "T0ken-of-acce55!";
    char copy[16];
    memcpy(copy, stored, sizeof copy);
    return memcmp(BYTES(env, token), copy, sizeof copy) == 0;
}

/* A Java array copied into a fixed stack buffer with its own length: Java sets the size. */
int Java_com_example_jniinput_MainActivity_copyPacket(JNIEnv *env, jobject cls, jbyteArray packet)
{
    char buf[16];
    int n = LENGTH(env, packet);
    memcpy(buf, BYTES(env, packet), n);
    return buf[0];
}

/* Near twin: the length is checked against the buffer first. */
int Java_com_example_jniinput_MainActivity_copyPacketChecked(JNIEnv *env, jobject cls, jbyteArray packet)
{
    char buf[16];
    int n = LENGTH(env, packet);
    if (n > (int)sizeof buf)
        return -1;
    memcpy(buf, BYTES(env, packet), n);
    return buf[0];
}

/* The input formatted into a fixed stack buffer with an unbounded %s. */
int Java_com_example_jniinput_MainActivity_formatGreet(JNIEnv *env, jobject cls, jstring name)
{
    char buf[32];
    sprintf(buf, "Hello, %s!", UTF(env, name));
    return buf[7] == 'A';
}

/* Near twin: the %s has a precision that fits the buffer. */
int Java_com_example_jniinput_MainActivity_formatGreetBounded(JNIEnv *env, jobject cls, jstring name)
{
    char buf[32];
    sprintf(buf, "Hello, %.20s!", UTF(env, name));
    return buf[7] == 'A';
}
