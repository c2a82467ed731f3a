package com.example.binds;

import android.app.Activity;
import fi.iki.elonen.NanoHTTPD;
import io.netty.bootstrap.ServerBootstrap;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Servers bound after construction (bind), Netty and NanoHTTPD with a host: every-interface
 * binds and their loopback twins. */
public class MainActivity extends Activity {
    void netty(ServerBootstrap bootstrap) {
        // ruleid: android.network.server-socket-exposed
        bootstrap.bind(6790);
    }

    void nettyAddress(ServerBootstrap bootstrap) {
        // ruleid: android.network.server-socket-exposed
        bootstrap.bind(new InetSocketAddress(6791));
    }

    void nettyLoopback(ServerBootstrap bootstrap) {
        // ok: android.network.server-socket-exposed
        bootstrap.bind(new InetSocketAddress("127.0.0.1", 6792));
    }

    ServerSocket boundLater() throws Exception {
        ServerSocket server = new ServerSocket();
        // ruleid: android.network.server-socket-exposed
        server.bind(new InetSocketAddress(8080));
        return server;
    }

    ServerSocket boundToAnyAddress() throws Exception {
        ServerSocket server = new ServerSocket();
        // ruleid: android.network.server-socket-exposed
        server.bind(new InetSocketAddress("0.0.0.0", 8082), 50);
        return server;
    }

    ServerSocket boundToLoopback() throws Exception {
        ServerSocket server = new ServerSocket();
        // ok: android.network.server-socket-exposed
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 8081));
        return server;
    }

    /** The address is built by the caller: followed across the call. */
    void bindTo(ServerSocket server, InetSocketAddress address) throws Exception {
        // ruleid: android.network.server-socket-exposed
        server.bind(address);
    }

    void bindEverywhere() throws Exception {
        bindTo(new ServerSocket(), new InetSocketAddress(8083));
    }

    static class PublicServer extends NanoHTTPD {
        PublicServer() {
            // ruleid: android.network.server-socket-exposed
            super("0.0.0.0", 8090);
        }
    }

    static class LocalServer extends NanoHTTPD {
        LocalServer() {
            // ok: android.network.server-socket-exposed
            super("127.0.0.1", 8091);
        }
    }
}
