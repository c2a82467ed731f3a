package com.example.kgq;

import android.app.Activity;
import android.app.KeyguardManager;
import android.os.Bundle;

/** Dismisses the lock screen while it shows (a test tool's device-identify screen). */
public class UnlockActivity extends Activity {
    @Override
    protected void onCreate(Bundle state) {
        super.onCreate(state);
        KeyguardManager keyguard = (KeyguardManager) getSystemService("keyguard");
        keyguard.newKeyguardLock("unlock").disableKeyguard();
    }
}
