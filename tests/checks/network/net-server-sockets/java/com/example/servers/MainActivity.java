package com.example.servers;

import android.app.Activity;
import android.net.LocalServerSocket;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Servers bound to every interface (other devices reach them) and their loopback twins. */
public class MainActivity extends Activity {
    ServerSocket everywhere() throws Exception {
        // ruleid: android.network.server-socket-exposed
        return new ServerSocket(8080);
    }

    ServerSocket everywhereWithBacklog() throws Exception {
        // ruleid: android.network.server-socket-exposed
        return new ServerSocket(8081, 50);
    }

    ServerSocket nullAddress() throws Exception {
        // ruleid: android.network.server-socket-exposed
        return new ServerSocket(8082, 50, null);
    }

    ServerSocket loopbackOnly() throws Exception {
        // ok: android.network.server-socket-exposed
        return new ServerSocket(8083, 50, InetAddress.getLoopbackAddress());
    }

    LocalServerSocket abstractNamespace() throws Exception {
        // ruleid: android.network.server-socket-exposed
        return new LocalServerSocket("com.example.servers.control");
    }

    /** The bind address comes from the caller: null there means every interface. */
    ServerSocket listen(int port, InetAddress bind) throws java.io.IOException {
        // ruleid: android.network.server-socket-exposed
        return new ServerSocket(port, 50, bind);
    }

    ServerSocket listenLocally(int port, InetAddress bind) throws java.io.IOException {
        // ok: android.network.server-socket-exposed
        return new ServerSocket(port, 50, bind);
    }

    void servers() throws java.io.IOException {
        listen(9090, null);
        listenLocally(9091, InetAddress.getLoopbackAddress());
    }
}
