package com.example.tls;

import android.net.SSLCertificateSocketFactory;
import android.net.SSLSessionCache;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import javax.net.ssl.SSLSocketFactory;
import org.apache.http.conn.ssl.AllowAllHostnameVerifier;
import org.apache.http.conn.ssl.StrictHostnameVerifier;
import org.apache.http.conn.ssl.X509HostnameVerifier;

/** Framework and Apache APIs that turn verification off, next to their safe variants. */
public class LegacyClients {

    public static void apacheVerifiers() {
        org.apache.http.conn.ssl.SSLSocketFactory factory = org.apache.http.conn.ssl.SSLSocketFactory.getSocketFactory();
        // ruleid: android.network.allow-all-hostname-verifier
        factory.setHostnameVerifier(org.apache.http.conn.ssl.SSLSocketFactory.ALLOW_ALL_HOSTNAME_VERIFIER);
        // ok: android.network.allow-all-hostname-verifier
        factory.setHostnameVerifier(org.apache.http.conn.ssl.SSLSocketFactory.STRICT_HOSTNAME_VERIFIER);
        // ruleid: android.network.allow-all-hostname-verifier
        X509HostnameVerifier lax = new AllowAllHostnameVerifier();
        // ok: android.network.allow-all-hostname-verifier
        X509HostnameVerifier strict = new StrictHostnameVerifier();
        factory.setHostnameVerifier(lax);
        factory.setHostnameVerifier(strict);
    }

    public static Socket sockets(SSLSessionCache cache, InetAddress address) throws IOException {
        // ruleid: android.network.insecure-ssl-socket-factory
        SSLSocketFactory insecure = SSLCertificateSocketFactory.getInsecure(5000, cache);
        // ok: android.network.insecure-ssl-socket-factory
        SSLSocketFactory checked = SSLCertificateSocketFactory.getDefault(5000, cache);
        SSLCertificateSocketFactory factory = (SSLCertificateSocketFactory) checked;
        // ruleid: android.network.insecure-ssl-socket-factory
        Socket byAddress = factory.createSocket(address, 443);
        // ok: android.network.insecure-ssl-socket-factory
        Socket byName = factory.createSocket("api.example.com", 443);
        byAddress.close();
        insecure.createSocket();
        return byName;
    }
}
