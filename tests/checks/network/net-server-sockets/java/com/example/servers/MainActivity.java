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
}
