package com.example.pinning;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import javax.net.ssl.X509TrustManager;
import okhttp3.CertificatePinner;

/** Pinning the app does (reported for information), next to code that does not pin. */
public class Pinning {
    static final byte[] PIN = new byte[32];

    public static CertificatePinner okhttp() {
        CertificatePinner.Builder b = new CertificatePinner.Builder();
        // ruleid: android.network.certificate-pinning
        b.add("api.example.com", "sha256/7HIpactkIAq2Y49orFOOQKurWxmmSFZhBCoQYcRhJ3Y=");
        // ok: android.network.certificate-pinning
        return b.build();
    }

    static class PinningTrustManager implements X509TrustManager {
        private final X509TrustManager delegate;
        PinningTrustManager(X509TrustManager delegate) { this.delegate = delegate; }
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException { delegate.checkClientTrusted(chain, authType); }
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            delegate.checkServerTrusted(chain, authType);
            try {
                // ruleid: android.network.certificate-pinning
                byte[] key = chain[0].getPublicKey().getEncoded();
                if (!Arrays.equals(MessageDigest.getInstance("SHA-256").digest(key), PIN)) {
                    throw new CertificateException("pin mismatch");
                }
            } catch (NoSuchAlgorithmException e) {
                throw new CertificateException(e);
            }
        }
        public X509Certificate[] getAcceptedIssuers() { return delegate.getAcceptedIssuers(); }
    }

    static class PlainTrustManager implements X509TrustManager {
        private final X509TrustManager delegate;
        PlainTrustManager(X509TrustManager delegate) { this.delegate = delegate; }
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException { delegate.checkClientTrusted(chain, authType); }
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            // ok: android.network.certificate-pinning
            delegate.checkServerTrusted(chain, authType);
        }
        public X509Certificate[] getAcceptedIssuers() { return delegate.getAcceptedIssuers(); }
    }
}
