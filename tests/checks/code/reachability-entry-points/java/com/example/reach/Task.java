package com.example.reach;

import javax.crypto.Cipher;

/** Reached through an interface call (Runnable.run on an instantiated class). */
public class Task implements Runnable {
    @Override
    public void run() {
        try {
            // ruleid: android.crypto.ecb-mode
            Cipher.getInstance("AES/ECB/NoPadding");
        } catch (Exception e) {
            throw new RuntimeException(e);
        }
    }
}
