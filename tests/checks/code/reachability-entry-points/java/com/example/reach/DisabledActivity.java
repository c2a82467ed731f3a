package com.example.reach;

import android.app.Activity;
import android.os.Bundle;
import javax.crypto.Cipher;

/** Declared with android:enabled="false": the framework never starts it. */
public class DisabledActivity extends Activity {
    @Override
    protected void onCreate(Bundle state) {
        super.onCreate(state);
        try {
            // ok: android.crypto.ecb-mode
            Cipher.getInstance("AES");
        } catch (Exception e) {
            throw new RuntimeException(e);
        }
    }
}
