package com.example.digests;

import java.security.MessageDigest;
import javax.crypto.Mac;

/** Digest and MAC algorithms as they reach getInstance, directly or through a helper. */
public class Digests {

    public MessageDigest md5() throws Exception {
        // ruleid: android.crypto.weak-hash
        return MessageDigest.getInstance("MD5");
    }

    public MessageDigest sha1() throws Exception {
        // ruleid: android.crypto.weak-hash
        return MessageDigest.getInstance("SHA-1");
    }

    public MessageDigest sha1NoDash() throws Exception {
        // ruleid: android.crypto.weak-hash
        return MessageDigest.getInstance("SHA1");
    }

    public MessageDigest sha256() throws Exception {
        // ok: android.crypto.weak-hash
        return MessageDigest.getInstance("SHA-256");
    }

    public MessageDigest configured(String algorithm) throws Exception {
        // ok: android.crypto.weak-hash
        return MessageDigest.getInstance(algorithm);
    }

    /** pivaa's shape: the algorithm is a parameter, a caller passes MD5. */
    String hash(String algorithm, String text) throws Exception {
        // ruleid: android.crypto.weak-hash
        MessageDigest md = MessageDigest.getInstance(algorithm);
        return new String(md.digest(text.getBytes("UTF-8")), "UTF-8");
    }

    public String hashPin(String pin) throws Exception {
        return hash("MD5", pin);
    }

    String strongHash(String algorithm, String text) throws Exception {
        // ok: android.crypto.weak-hash
        MessageDigest md = MessageDigest.getInstance(algorithm);
        return new String(md.digest(text.getBytes("UTF-8")), "UTF-8");
    }

    public String hashDocument(String text) throws Exception {
        return strongHash("SHA-512", text);
    }

    public Mac hmacMd5() throws Exception {
        // ruleid: android.crypto.weak-mac
        return Mac.getInstance("HmacMD5");
    }

    public Mac hmacSha256() throws Exception {
        // ok: android.crypto.weak-mac, android.crypto.weak-hash
        return Mac.getInstance("HmacSHA256");
    }

    /** RFC 6455's GUID, kept in a field set in <clinit>. */
    static String GUID;

    static {
        GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    }

    /** The WebSocket handshake's accept key: SHA-1 is what the protocol prescribes. */
    public byte[] acceptKey(String key) throws Exception {
        // ok: android.crypto.weak-hash
        MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
        return sha1.digest((key + GUID).getBytes("UTF-8"));
    }

    /** Twin: the same shape over a password and a constant pepper is weak hashing. */
    public byte[] passwordHash(String password) throws Exception {
        // ruleid: android.crypto.weak-hash
        MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
        return sha1.digest((password + "pepper").getBytes("UTF-8"));
    }
}
