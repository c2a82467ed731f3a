package com.example.nativeunloaded;

import android.app.Activity;
import android.os.Bundle;

public class MainActivity extends Activity {
    @Override
    protected void onCreate(Bundle savedInstanceState) {
        super.onCreate(savedInstanceState);
        // ok: android.native.no-stack-canary
        System.loadLibrary("loaded");
    }
}
