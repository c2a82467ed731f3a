package com.example.ciphers;

import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKeyFactory;

/** Transformations that reach Cipher.getInstance through registers, locals and parameters. */
public class Ciphers {

    public Cipher explicitEcb() throws Exception {
        // ruleid: android.crypto.ecb-mode
        return Cipher.getInstance("AES/ECB/PKCS5Padding");
    }

    public Cipher providerDefaultEcb() throws Exception {
        String algorithm = "AES";
        // ruleid: android.crypto.ecb-mode
        return Cipher.getInstance(algorithm);
    }

    public Cipher builtEcb() throws Exception {
        String mode = "ECB";
        String transformation = "AES/" + mode + "/NoPadding";
        // ruleid: android.crypto.ecb-mode
        return Cipher.getInstance(transformation);
    }

    public Cipher gcm() throws Exception {
        // ok: android.crypto.ecb-mode, android.crypto.weak-cipher, android.crypto.rsa-no-oaep
        return Cipher.getInstance("AES/GCM/NoPadding");
    }

    public Cipher cbc() throws Exception {
        // ok: android.crypto.ecb-mode, android.crypto.weak-cipher
        return Cipher.getInstance("AES/CBC/PKCS5Padding");
    }

    public Cipher unknownTransformation(String fromServer) throws Exception {
        // ok: android.crypto.ecb-mode, android.crypto.weak-cipher
        return Cipher.getInstance(fromServer);
    }

    public Cipher des() throws Exception {
        // ruleid: android.crypto.weak-cipher, android.crypto.ecb-mode
        return Cipher.getInstance("DES");
    }

    public Cipher desCbc() throws Exception {
        // ruleid: android.crypto.weak-cipher
        return Cipher.getInstance("DES/CBC/PKCS5Padding");
    }

    public Cipher tripleDes() throws Exception {
        // ruleid: android.crypto.weak-cipher
        return Cipher.getInstance("DESede/CBC/PKCS5Padding");
    }

    public Cipher rc4() throws Exception {
        // ruleid: android.crypto.weak-cipher
        return Cipher.getInstance("ARCFOUR");
    }

    public Cipher blowfish() throws Exception {
        // ruleid: android.crypto.weak-cipher
        return Cipher.getInstance("Blowfish/CBC/PKCS5Padding");
    }

    public KeyGenerator desKeys() throws Exception {
        // ruleid: android.crypto.weak-cipher
        return KeyGenerator.getInstance("DESede");
    }

    public KeyGenerator aesKeys() throws Exception {
        // ok: android.crypto.weak-cipher
        return KeyGenerator.getInstance("AES");
    }

    public SecretKeyFactory pbeDes() throws Exception {
        // ruleid: android.crypto.weak-cipher
        return SecretKeyFactory.getInstance("PBEWithMD5AndDES");
    }

    /** The key and the cipher of one DES use in one method: one weakness, one finding. */
    public byte[] desWithItsKey(byte[] key, byte[] data) throws Exception {
        // ok: android.crypto.weak-cipher
        SecretKeyFactory factory = SecretKeyFactory.getInstance("DES");
        javax.crypto.SecretKey secret = factory.generateSecret(new javax.crypto.spec.DESKeySpec(key));
        // ruleid: android.crypto.weak-cipher, android.crypto.ecb-mode
        Cipher cipher = Cipher.getInstance("DES");
        cipher.init(Cipher.ENCRYPT_MODE, secret);
        return cipher.doFinal(data);
    }

    public SecretKeyFactory pbkdf2() throws Exception {
        // ok: android.crypto.weak-cipher
        return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
    }

    /** Reached with a weak transformation from one caller: the finding is at this call. */
    Cipher make(String transformation) throws Exception {
        // ruleid: android.crypto.weak-cipher
        return Cipher.getInstance(transformation);
    }

    Cipher useMake() throws Exception {
        return make("RC2/CBC/PKCS5Padding");
    }

    /** Twin: every caller passes a strong transformation. */
    Cipher makeStrong(String transformation) throws Exception {
        // ok: android.crypto.weak-cipher, android.crypto.ecb-mode
        return Cipher.getInstance(transformation);
    }

    Cipher useMakeStrong() throws Exception {
        return makeStrong("AES/GCM/NoPadding");
    }

    public Cipher rsaDefault() throws Exception {
        // ruleid: android.crypto.rsa-no-oaep
        return Cipher.getInstance("RSA");
    }

    public Cipher rsaPkcs1() throws Exception {
        // ruleid: android.crypto.rsa-no-oaep
        return Cipher.getInstance("RSA/ECB/PKCS1Padding");
    }

    public Cipher rsaRaw() throws Exception {
        // ruleid: android.crypto.rsa-no-oaep
        return Cipher.getInstance("RSA/NONE/NoPadding");
    }

    public Cipher rsaOaep() throws Exception {
        // ok: android.crypto.rsa-no-oaep, android.crypto.ecb-mode
        return Cipher.getInstance("RSA/ECB/OAEPWithSHA-256AndMGF1Padding");
    }

    public Cipher pinnedBc() throws Exception {
        // ruleid: android.crypto.bc-provider
        return Cipher.getInstance("AES/GCM/NoPadding", "BC");
    }

    public Cipher defaultProvider() throws Exception {
        // ok: android.crypto.bc-provider
        return Cipher.getInstance("AES/GCM/NoPadding", "AndroidOpenSSL");
    }
}
