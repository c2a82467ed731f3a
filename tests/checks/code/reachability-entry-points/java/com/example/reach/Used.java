package com.example.reach;

import javax.crypto.Cipher;

/** Created and called from MainActivity.onCreate. */
public class Used {
    public Cipher encrypt() throws Exception {
        // ruleid: android.crypto.ecb-mode
        return Cipher.getInstance("AES");
    }

    public Cipher neverCalled() throws Exception {
        // ok: android.crypto.ecb-mode
        return Cipher.getInstance("AES");
    }
}
