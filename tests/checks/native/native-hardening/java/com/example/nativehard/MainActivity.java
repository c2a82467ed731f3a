package com.example.nativehard;

import android.app.Activity;
import android.os.Bundle;

public class MainActivity extends Activity {
    @Override
    protected void onCreate(Bundle savedInstanceState) {
        super.onCreate(savedInstanceState);
        // weak: no NX, no canary, strcpy unchecked, no RELRO, RUNPATH, symbols kept
        // ruleid: android.native.no-nx, android.native.no-stack-canary, android.native.no-fortify, android.native.no-relro, android.native.rpath, android.native.not-stripped
        System.loadLibrary("weak");
        // hardened: every mitigation, stripped (the near twin of "weak")
        // ok: android.native.no-nx, android.native.no-stack-canary, android.native.no-fortify, android.native.no-relro, android.native.rpath, android.native.not-stripped, android.native.textrel
        System.loadLibrary("hardened");
        // ruleid: android.native.textrel
        Runtime.getRuntime().loadLibrary("textrel");
    }
}
