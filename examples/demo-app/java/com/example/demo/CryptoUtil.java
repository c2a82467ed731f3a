package com.example.demo;

import android.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/** "Encryption" with a key compiled into the app and ECB mode: both recoverable by anyone. */
public final class CryptoUtil {
    private static final byte[] KEY = "0123456789abcdef".getBytes();

    private CryptoUtil() {
    }

    public static String encrypt(String plain) {
        try {
            SecretKeySpec key = new SecretKeySpec(KEY, "AES");
            Cipher cipher = Cipher.getInstance("AES/ECB/PKCS5Padding");
            cipher.init(Cipher.ENCRYPT_MODE, key);
            return Base64.encodeToString(cipher.doFinal(plain.getBytes("UTF-8")), Base64.NO_WRAP);
        } catch (Exception e) {
            return null;
        }
    }
}
