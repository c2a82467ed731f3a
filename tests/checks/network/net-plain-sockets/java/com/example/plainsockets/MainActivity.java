package com.example.plainsockets;

import android.app.Activity;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import javax.net.ssl.SSLSocketFactory;

/** Plain TCP sockets to remote hosts, and their twins: this device, TLS layered on top, or
 * a host nobody can name without running the app. */
public class MainActivity extends Activity {
    Socket telemetry() throws Exception {
        // ruleid: android.network.plain-socket
        return new Socket("telemetry.example.com", 5000);
    }

    Socket local() throws Exception {
        // ok: android.network.plain-socket
        return new Socket("127.0.0.1", 5001);
    }

    Socket push() throws Exception {
        Socket socket = new Socket();
        // ruleid: android.network.plain-socket
        socket.connect(new InetSocketAddress("push.example.org", 5223), 3000);
        return socket;
    }

    Socket byAddress() throws Exception {
        // ruleid: android.network.plain-socket
        return new Socket(InetAddress.getByName("10.20.30.40"), 6000);
    }

    Socket loopbackAddress() throws Exception {
        // ok: android.network.plain-socket
        return new Socket(InetAddress.getLoopbackAddress(), 6001);
    }

    /** The host is the caller's constant: followed across the call. */
    Socket open(String host) throws Exception {
        // ruleid: android.network.plain-socket
        return new Socket(host, 7000);
    }

    Socket openLocally(String host) throws Exception {
        // ok: android.network.plain-socket
        return new Socket(host, 7001);
    }

    void callers() throws Exception {
        open("chat.example.net");
        openLocally("localhost");
    }

    /** TLS is layered over the plain socket in the same method. */
    Socket tls() throws Exception {
        // ok: android.network.plain-socket
        Socket plain = new Socket("mail.example.com", 993);
        return ((SSLSocketFactory) SSLSocketFactory.getDefault())
                .createSocket(plain, "mail.example.com", 993, true);
    }

    /** A host from outside the code (a parameter no caller passes a constant). */
    Socket configured(String host, int port) throws Exception {
        // ok: android.network.plain-socket
        return new Socket(host, port);
    }
}
