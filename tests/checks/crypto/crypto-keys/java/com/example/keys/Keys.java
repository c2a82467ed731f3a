package com.example.keys;

import android.util.Base64;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.KeyGenerator;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/** Keys and IVs: constants (literal, string, Base64, field) versus generated or received. */
public class Keys {
    private static final byte[] STATIC_IV = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    private final String key = "This is the super secret key 123";
    private final byte[] ivBytes = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    private byte[] sessionKey;

    public SecretKeySpec literalBytes() {
        byte[] k = {0x10, 0x21, 0x32, 0x43, 0x54, 0x65, 0x76, 0x07, 0x18, 0x29, 0x3a, 0x4b, 0x5c, 0x6d, 0x7e, 0x0f};
        // ruleid: android.crypto.hardcoded-key
        return new SecretKeySpec(k, "AES");
    }

    public SecretKeySpec fromString() {
        // ruleid: android.crypto.hardcoded-key
        return new SecretKeySpec("0123456789abcdef".getBytes(), "AES");
    }

    public SecretKeySpec fromBase64() {
        byte[] k = Base64.decode("MDEyMzQ1Njc4OWFiY2RlZg==", Base64.DEFAULT);
        // ruleid: android.crypto.hardcoded-key
        return new SecretKeySpec(k, "AES");
    }

    public SecretKeySpec fromField() throws Exception {
        // ruleid: android.crypto.hardcoded-key
        return new SecretKeySpec(key.getBytes("UTF-8"), "AES");
    }

    public SecretKeySpec generated() throws Exception {
        byte[] k = KeyGenerator.getInstance("AES").generateKey().getEncoded();
        // ok: android.crypto.hardcoded-key
        return new SecretKeySpec(k, "AES");
    }

    public SecretKeySpec received(byte[] wrapped) {
        // ok: android.crypto.hardcoded-key
        return new SecretKeySpec(Arrays.copyOf(wrapped, 16), "AES");
    }

    public void rotate(byte[] fresh) {
        sessionKey = fresh;
    }

    public SecretKeySpec fromFieldWrittenAtRunTime() {
        // ok: android.crypto.hardcoded-key
        return new SecretKeySpec(sessionKey, "AES");
    }

    public IvParameterSpec zeroIv() {
        byte[] iv = new byte[16];
        // ruleid: android.crypto.static-iv
        return new IvParameterSpec(iv);
    }

    public IvParameterSpec randomIv() {
        byte[] iv = new byte[16];
        new SecureRandom().nextBytes(iv);
        // ok: android.crypto.static-iv
        return new IvParameterSpec(iv);
    }

    public IvParameterSpec staticFieldIv() {
        // ruleid: android.crypto.static-iv
        return new IvParameterSpec(STATIC_IV);
    }

    public GCMParameterSpec stringNonce() {
        // ruleid: android.crypto.static-iv
        return new GCMParameterSpec(128, "abcdefghijkl".getBytes());
    }

    public GCMParameterSpec receivedNonce(byte[] message) {
        // ok: android.crypto.static-iv
        return new GCMParameterSpec(128, message, 0, 12);
    }

    /** InsecureBankv2's shape: key and IV arrive as parameters from a caller that holds constants. */
    byte[] encrypt(byte[] iv, byte[] keyBytes, byte[] text) throws Exception {
        // ruleid: android.crypto.static-iv
        IvParameterSpec ivSpec = new IvParameterSpec(iv);
        // ruleid: android.crypto.hardcoded-key
        SecretKeySpec keySpec = new SecretKeySpec(keyBytes, "AES");
        return text;
    }

    public byte[] encryptString(String text) throws Exception {
        return encrypt(ivBytes, key.getBytes("UTF-8"), text.getBytes("UTF-8"));
    }

    /** Twin: the caller passes a fresh IV and a generated key. */
    byte[] encryptWell(byte[] iv, byte[] keyBytes, byte[] text) throws Exception {
        // ok: android.crypto.static-iv
        IvParameterSpec ivSpec = new IvParameterSpec(iv);
        // ok: android.crypto.hardcoded-key
        SecretKeySpec keySpec = new SecretKeySpec(keyBytes, "AES");
        return text;
    }

    public byte[] encryptStringWell(String text) throws Exception {
        byte[] iv = new byte[16];
        new SecureRandom().nextBytes(iv);
        byte[] k = KeyGenerator.getInstance("AES").generateKey().getEncoded();
        return encryptWell(iv, k, text.getBytes("UTF-8"));
    }
}
