package com.example.values;

import android.content.Intent;
import android.util.Base64;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/** Values that cross a method boundary before they reach the crypto API, with twins. */
public class Crypto {
    private final int rounds;
    private final byte[] salt;

    public Crypto() {
        this.rounds = 10;
        this.salt = new byte[] {1, 2, 3, 4, 5, 6, 7, 8};
    }

    public SecretKeySpec clinitField() {
        // ruleid: android.crypto.hardcoded-key
        return new SecretKeySpec(Secrets.KEY.getBytes(), "AES");
    }

    public SecretKeySpec returned() {
        // ruleid: android.crypto.hardcoded-key
        return new SecretKeySpec(Secrets.keyBytes(), "AES");
    }

    public SecretKeySpec returnedFresh() throws Exception {
        // ok: android.crypto.hardcoded-key
        return new SecretKeySpec(freshKey(), "AES");
    }

    static byte[] freshKey() throws Exception {
        return KeyGenerator.getInstance("AES").generateKey().getEncoded();
    }

    public SecretKeySpec base64OfField() {
        byte[] k = Base64.decode(Secrets.KEY_B64, Base64.DEFAULT);
        // ruleid: android.crypto.hardcoded-key
        return new SecretKeySpec(k, "AES");
    }

    public SecretKeySpec base64OfInput(Intent intent) {
        byte[] k = Base64.decode(intent.getStringExtra("k"), Base64.DEFAULT);
        // ok: android.crypto.hardcoded-key
        return new SecretKeySpec(k, "AES");
    }

    public SecretKeySpec built() {
        String k = new StringBuilder().append(Secrets.PREFIX).append(Secrets.suffix()).toString();
        // ruleid: android.crypto.hardcoded-key
        return new SecretKeySpec(k.getBytes(), "AES");
    }

    public SecretKeySpec builtFromInput(Intent intent) {
        String k = new StringBuilder().append(Secrets.PREFIX).append(intent.getStringExtra("k")).toString();
        // ok: android.crypto.hardcoded-key
        return new SecretKeySpec(k.getBytes(), "AES");
    }

    public PBEKeySpec derive(char[] password) {
        // ruleid: android.crypto.pbe-low-iterations, android.crypto.pbe-constant-salt
        return new PBEKeySpec(password, salt, rounds, 256);
    }

    public PBEKeySpec deriveFromClinit(char[] password) {
        byte[] fresh = new byte[16];
        new SecureRandom().nextBytes(fresh);
        // ruleid: android.crypto.pbe-low-iterations
        return new PBEKeySpec(password, fresh, Secrets.ITERATIONS, 256);
    }

    public PBEKeySpec deriveWell(char[] password, int iterations) {
        byte[] fresh = new byte[16];
        new SecureRandom().nextBytes(fresh);
        // ok: android.crypto.pbe-low-iterations, android.crypto.pbe-constant-salt
        return new PBEKeySpec(password, fresh, iterations, 256);
    }

    public Cipher modeFromField() throws Exception {
        // ruleid: android.crypto.ecb-mode
        return Cipher.getInstance(Secrets.MODE);
    }

    public Cipher modeFromGetter() throws Exception {
        // ruleid: android.crypto.weak-cipher
        return Cipher.getInstance(Secrets.transformation());
    }

    public Cipher modeFromInput(Intent intent) throws Exception {
        // ok: android.crypto.ecb-mode, android.crypto.weak-cipher
        return Cipher.getInstance(intent.getStringExtra("mode"));
    }

    /** The IV is a field filled with random bytes before use: not constant. */
    private final byte[] iv = new byte[16];

    public IvParameterSpec filledIv() {
        new SecureRandom().nextBytes(iv);
        // ok: android.crypto.static-iv
        return new IvParameterSpec(iv);
    }

    /** The IV comes from a getter returning a zero array. */
    static byte[] zeroIv() {
        return new byte[16];
    }

    public IvParameterSpec returnedIv() {
        // ruleid: android.crypto.static-iv
        return new IvParameterSpec(zeroIv());
    }

    /** UnCrackable Level 1's shape: a hex string turned into key bytes by the app's own loop. */
    static byte[] fromHex(String s) {
        int n = s.length();
        byte[] out = new byte[n / 2];
        for (int i = 0; i < n; i += 2) {
            out[i / 2] = (byte) ((Character.digit(s.charAt(i), 16) << 4) + Character.digit(s.charAt(i + 1), 16));
        }
        return out;
    }

    /** Twin: the same loop, but the method also reads the device's settings. */
    static byte[] fromHexAndDevice(String s) {
        int n = s.length();
        byte[] out = new byte[n / 2];
        for (int i = 0; i < n; i += 2) {
            out[i / 2] = (byte) ((Character.digit(s.charAt(i), 16) << 4) + Character.digit(s.charAt(i + 1), 16));
        }
        out[0] ^= (byte) System.getProperty("device.salt").hashCode();
        return out;
    }

    public SecretKeySpec hexKey() {
        // ruleid: android.crypto.hardcoded-key
        return new SecretKeySpec(fromHex("8d127684cbc37c17616d806cf50473cc"), "AES");
    }

    public SecretKeySpec hexKeyFromInput(Intent intent) {
        // ok: android.crypto.hardcoded-key
        return new SecretKeySpec(fromHex(intent.getStringExtra("k")), "AES");
    }

    public SecretKeySpec hexKeyMixed() {
        // ok: android.crypto.hardcoded-key
        return new SecretKeySpec(fromHexAndDevice("8d127684cbc37c17616d806cf50473cc"), "AES");
    }
}
