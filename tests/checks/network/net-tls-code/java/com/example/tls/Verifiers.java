package com.example.tls;

import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLSession;

/** HostnameVerifiers: one that always says yes, and twins that decide. */
public class Verifiers {

    static class AllowAll implements HostnameVerifier {
        public boolean verify(String hostname, SSLSession session) {
            // ruleid: android.network.hostname-verifier-accepts-all
            return true;
        }
    }

    static class AllowAllTwoPaths implements HostnameVerifier {
        public boolean verify(String hostname, SSLSession session) {
            if (hostname.isEmpty()) {
                return true;
            }
            // ruleid: android.network.hostname-verifier-accepts-all
            return true;
        }
    }

    static class OnlyOurHost implements HostnameVerifier {
        public boolean verify(String hostname, SSLSession session) {
            // ok: android.network.hostname-verifier-accepts-all
            return "api.example.com".equals(hostname);
        }
    }

    static class DefaultThenOurs implements HostnameVerifier {
        public boolean verify(String hostname, SSLSession session) {
            if (!HttpsURLConnection.getDefaultHostnameVerifier().verify(hostname, session)) {
                // ok: android.network.hostname-verifier-accepts-all
                return false;
            }
            return true;
        }
    }

    public static void install() {
        HttpsURLConnection.setDefaultHostnameVerifier(new AllowAll());
        HttpsURLConnection.setDefaultHostnameVerifier(new AllowAllTwoPaths());
        HttpsURLConnection.setDefaultHostnameVerifier(new OnlyOurHost());
        HttpsURLConnection.setDefaultHostnameVerifier(new DefaultThenOurs());
    }
}
