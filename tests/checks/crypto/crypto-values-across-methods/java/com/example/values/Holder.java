package com.example.values;

import javax.crypto.spec.SecretKeySpec;

/** The key arrives through the constructor (an instance field) or a setter. */
public class Holder {
    private final byte[] key;
    private String password;

    public Holder(byte[] key) {
        this.key = key;
    }

    public void setPassword(String password) {
        this.password = password;
    }

    public SecretKeySpec spec() {
        // ruleid: android.crypto.hardcoded-key
        return new SecretKeySpec(key, "AES");
    }

    public SecretKeySpec fromPassword() {
        // ruleid: android.crypto.hardcoded-key
        return new SecretKeySpec(password.getBytes(), "AES");
    }

    static Holder make() {
        Holder h = new Holder("constructor-key-0123".getBytes());
        h.setPassword("setter-password-0123");
        return h;
    }
}
