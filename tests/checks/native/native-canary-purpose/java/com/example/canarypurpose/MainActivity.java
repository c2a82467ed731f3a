package com.example.canarypurpose;

import android.app.Activity;
import android.os.Bundle;

public class MainActivity extends Activity {
    @Override
    protected void onCreate(Bundle savedInstanceState) {
        super.onCreate(savedInstanceState);
        // copier: no canary and memcpy into a stack buffer (medium, see test_canary_purpose.py)
        // ruleid: android.native.no-stack-canary
        System.loadLibrary("copier");
        // lookup: no canary, no buffer-writing import: the same check, an info note only
        // ruleid: android.native.no-stack-canary
        System.loadLibrary("lookup");
    }
}
