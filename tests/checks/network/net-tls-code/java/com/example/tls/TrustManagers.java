package com.example.tls;

import android.util.Log;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/** TrustManagers that cannot reject a certificate, each next to a twin that can. */
public class TrustManagers {

    public static X509TrustManager[] all(X509TrustManager platform) {
        return new X509TrustManager[] {
            new EmptyTrustManager(), new LoggingTrustManager(), new SwallowingTrustManager(platform),
            new ValidityOnlyTrustManager(), new ThrowingTrustManager(), new DelegatingTrustManager(platform),
            new HelperTrustManager(), new LaxHelperTrustManager(),
        };
    }

    static class EmptyTrustManager implements X509TrustManager {
        // ok: android.network.trustmanager-accepts-all
        public void checkClientTrusted(X509Certificate[] chain, String authType) { }
        // ruleid: android.network.trustmanager-accepts-all
        public void checkServerTrusted(X509Certificate[] chain, String authType) { }
        public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
    }

    static class LoggingTrustManager implements X509TrustManager {
        public void checkClientTrusted(X509Certificate[] chain, String authType) { }
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            // ruleid: android.network.trustmanager-accepts-all
            Log.d("tls", "server cert " + chain[0].getSubjectDN() + " " + authType);
        }
        public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
    }

    static class SwallowingTrustManager implements X509TrustManager {
        private final X509TrustManager delegate;
        SwallowingTrustManager(X509TrustManager delegate) { this.delegate = delegate; }
        public void checkClientTrusted(X509Certificate[] chain, String authType) { }
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            try {
                // ruleid: android.network.trustmanager-accepts-all
                delegate.checkServerTrusted(chain, authType);
            } catch (CertificateException e) {
                Log.w("tls", "ignoring " + e);
            }
        }
        public X509Certificate[] getAcceptedIssuers() { return delegate.getAcceptedIssuers(); }
    }

    static class ValidityOnlyTrustManager implements X509TrustManager {
        public void checkClientTrusted(X509Certificate[] chain, String authType) { }
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            try {
                // ruleid: android.network.trustmanager-accepts-all
                chain[0].checkValidity();
            } catch (Exception e) {
                Log.w("tls", "expired");
            }
        }
        public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
    }

    static class ThrowingTrustManager implements X509TrustManager {
        public void checkClientTrusted(X509Certificate[] chain, String authType) { }
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            // ok: android.network.trustmanager-accepts-all
            Log.d("tls", "server cert " + authType);
            throw new CertificateException("no server is trusted here");
        }
        public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
    }

    static class DelegatingTrustManager implements X509TrustManager {
        private final X509TrustManager delegate;
        DelegatingTrustManager(X509TrustManager delegate) { this.delegate = delegate; }
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException { delegate.checkClientTrusted(chain, authType); }
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            // ok: android.network.trustmanager-accepts-all
            delegate.checkServerTrusted(chain, authType);
        }
        public X509Certificate[] getAcceptedIssuers() { return delegate.getAcceptedIssuers(); }
    }

    /** Rejects through a helper of the app's own: the analysis follows the call. */
    static class HelperTrustManager implements X509TrustManager {
        public void checkClientTrusted(X509Certificate[] chain, String authType) { }
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            // ok: android.network.trustmanager-accepts-all
            Checks.requireChain(chain);
        }
        public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
    }

    /** Its helper only logs: as bad as an empty body. */
    static class LaxHelperTrustManager implements X509TrustManager {
        public void checkClientTrusted(X509Certificate[] chain, String authType) { }
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            // ruleid: android.network.trustmanager-accepts-all
            Checks.logChain(chain);
        }
        public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
    }

    /** Extended: the platform calls the Socket/SSLEngine variants, so each counts. */
    static class HalfExtendedTrustManager extends X509ExtendedTrustManager {
        private final X509TrustManager delegate;
        HalfExtendedTrustManager(X509TrustManager delegate) { this.delegate = delegate; }
        public void checkClientTrusted(X509Certificate[] chain, String authType) { }
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) { }
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) { }
        // ok: android.network.trustmanager-accepts-all
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException { delegate.checkServerTrusted(chain, authType); }
        // ruleid: android.network.trustmanager-accepts-all
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) { }
        // ok: android.network.trustmanager-accepts-all
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException { delegate.checkServerTrusted(chain, authType); }
        public X509Certificate[] getAcceptedIssuers() { return delegate.getAcceptedIssuers(); }
    }
}
