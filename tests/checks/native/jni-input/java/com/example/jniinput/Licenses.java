package com.example.jniinput;

/** Natives that lib/arm64-v8a/register.c registers from JNI_OnLoad (marks in expect.txt). */
public class Licenses {
    static {
        System.loadLibrary("register");
    }

    static native boolean checkLicense(String key);
    static native boolean sameLicense(String a, String b);
}
