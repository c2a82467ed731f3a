package com.example.keystore;

import java.io.OutputStream;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;

/** Key stores written to files without a password, versus the AndroidKeyStore. */
public class Store {

    public void fileStoreWithoutPassword(Key key, Certificate[] chain, OutputStream out) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        // ruleid: android.crypto.keystore-no-protection
        ks.setKeyEntry("signing", key, null, chain);
        // ruleid: android.crypto.keystore-no-protection
        ks.store(out, null);
    }

    public void fileStoreEntryWithoutProtection(KeyStore.Entry entry) throws Exception {
        KeyStore ks = KeyStore.getInstance("BKS");
        ks.load(null, null);
        // ruleid: android.crypto.keystore-no-protection
        ks.setEntry("backup", entry, null);
    }

    public void fileStoreWithPassword(Key key, Certificate[] chain, OutputStream out, char[] password) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        // ok: android.crypto.keystore-no-protection
        ks.setKeyEntry("signing", key, password, chain);
        // ok: android.crypto.keystore-no-protection
        ks.store(out, password);
    }

    public void androidKeyStore(KeyStore.Entry entry, Key key, Certificate[] chain) throws Exception {
        KeyStore ks = KeyStore.getInstance("AndroidKeyStore");
        ks.load(null);
        // ok: android.crypto.keystore-no-protection
        ks.setEntry("device", entry, null);
        // ok: android.crypto.keystore-no-protection
        ks.setKeyEntry("device2", key, null, chain);
    }
}
