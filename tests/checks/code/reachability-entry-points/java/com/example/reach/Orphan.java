package com.example.reach;

import javax.crypto.Cipher;

/** Nothing creates or calls this class: dead code shipped in the APK. */
public class Orphan {
    public Cipher encrypt() throws Exception {
        // ok: android.crypto.ecb-mode
        return Cipher.getInstance("AES");
    }

    public static Cipher helper() throws Exception {
        // ok: android.crypto.ecb-mode
        return Cipher.getInstance("DES");
    }
}
