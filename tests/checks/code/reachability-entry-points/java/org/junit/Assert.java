package org.junit;

import javax.crypto.Cipher;

/** Stands for JUnit shipped in the APK: test code is one finding, not a source of findings. */
public class Assert {
    public static void check() throws Exception {
        // ok: android.crypto.ecb-mode
        Cipher.getInstance("AES");
    }
}
