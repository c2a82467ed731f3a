package com.example.random;

import java.security.SecureRandom;
import java.util.Random;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/** Random numbers where security depends on them. */
public class Tokens {

    public SecretKeySpec keyFromRandom() {
        byte[] k = new byte[16];
        // ruleid: android.crypto.insecure-random
        new Random().nextBytes(k);
        return new SecretKeySpec(k, "AES");
    }

    public IvParameterSpec ivFromSecureRandom() {
        byte[] iv = new byte[16];
        // ok: android.crypto.insecure-random
        new SecureRandom().nextBytes(iv);
        return new IvParameterSpec(iv);
    }

    /** pivaa's shape: a java.util.Random number in the class that does the encryption. */
    public static String otp() {
        // ruleid: android.crypto.insecure-random
        Random random = new Random();
        return Integer.toString(random.nextInt(100000) + 1);
    }

    public static String nonce() {
        // ruleid: android.crypto.insecure-random
        return Long.toString((long) (Math.random() * 1e12));
    }

    public static SecureRandom seededWithConstant() throws Exception {
        // ruleid: android.crypto.seeded-securerandom
        return new SecureRandom("fixed seed".getBytes("UTF-8"));
    }

    public static SecureRandom setSeedConstant() {
        SecureRandom sr = new SecureRandom();
        // ruleid: android.crypto.seeded-securerandom
        sr.setSeed(42L);
        return sr;
    }

    public static SecureRandom supplementedSeed() {
        SecureRandom sr = new SecureRandom();
        // ok: android.crypto.seeded-securerandom
        sr.setSeed(System.nanoTime());
        return sr;
    }

    public static SecureRandom unseeded() {
        // ok: android.crypto.seeded-securerandom
        return new SecureRandom();
    }

    /** The IV comes from a helper that fills it with java.util.Random (finding in the helper). */
    public IvParameterSpec ivFromHelper() {
        return new IvParameterSpec(RandomBytes.fillBlock());
    }
}
