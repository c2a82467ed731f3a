package com.example.values;

import android.content.Context;
import javax.crypto.spec.SecretKeySpec;

/** Twin of Holder: constructor and setter receive values read at run time. */
public class RuntimeHolder {
    private final byte[] key;
    private String password;

    public RuntimeHolder(byte[] key) {
        this.key = key;
    }

    public void setPassword(String password) {
        this.password = password;
    }

    public SecretKeySpec spec() {
        // ok: android.crypto.hardcoded-key
        return new SecretKeySpec(key, "AES");
    }

    public SecretKeySpec fromPassword() {
        // ok: android.crypto.hardcoded-key
        return new SecretKeySpec(password.getBytes(), "AES");
    }

    static RuntimeHolder make(Context context) {
        String stored = context.getSharedPreferences("p", 0).getString("k", null);
        RuntimeHolder h = new RuntimeHolder(stored.getBytes());
        h.setPassword(context.getSharedPreferences("p", 0).getString("pw", null));
        return h;
    }
}
