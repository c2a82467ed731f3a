package com.example.jniinput;

import android.app.Activity;
import android.os.Bundle;

public class MainActivity extends Activity {
    static {
        System.loadLibrary("checks");
        System.loadLibrary("checks_debug");
    }

    // Implemented in lib/arm64-v8a/jni_functions.h (marks in expect.txt).
    static native boolean checkKey(String key);
    static native boolean checkCode(byte[] code);
    static native int greet(String name);
    static native boolean sameText(String a, String b);
    static native boolean isStartCommand(String command);
    static native int boundedGreet(String name);
    static native int checkedGreet(String name);
    static native int heapGreet(String name);
    static native void setMask(byte[] mask);
    static native boolean checkEncoded(byte[] code);
    static native int countHex(byte[] data);
    static native boolean checkToken(byte[] token);
    static native int copyPacket(byte[] packet);
    static native int copyPacketChecked(byte[] packet);
    static native int formatGreet(String name);
    static native int formatGreetBounded(String name);

    @Override
    protected void onCreate(Bundle savedInstanceState) {
        super.onCreate(savedInstanceState);
        checkKey(getIntent().getStringExtra("key"));
    }
}
