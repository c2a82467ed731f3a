package com.example.reach;

import javax.crypto.Cipher;

/** Run over adb with app_process (as uiautomator2's agents): main() is an entry point. */
public class ShellAgent {
    public static void main(String[] args) throws Exception {
        // ruleid: android.crypto.ecb-mode
        Cipher.getInstance("AES");
    }

    // Not main(String[]): nothing runs it.
    public static void notMain(String arg) throws Exception {
        // ok: android.crypto.ecb-mode
        Cipher.getInstance("AES");
    }
}
