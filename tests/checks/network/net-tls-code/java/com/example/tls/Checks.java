package com.example.tls;

import android.util.Log;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;

class Checks {
    static void requireChain(X509Certificate[] chain) throws CertificateException {
        if (chain == null || chain.length < 2) {
            throw new CertificateException("chain too short");
        }
    }

    static void logChain(X509Certificate[] chain) {
        Log.i("tls", "chain of " + chain.length);
    }
}
