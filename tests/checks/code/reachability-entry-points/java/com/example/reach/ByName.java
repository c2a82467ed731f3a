package com.example.reach;

import javax.crypto.Cipher;

/** Created by reflection with a constant class name: every method may run. */
public class ByName {
    public Cipher viaReflection() throws Exception {
        // ruleid: android.crypto.ecb-mode
        return Cipher.getInstance("AES");
    }
}
