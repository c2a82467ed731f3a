package com.example.handlers;

import android.net.LocalServerSocket;
import android.net.LocalSocket;
import java.io.PrintWriter;

/** The twin: tells each client the screen orientation and nothing else (an info note). */
public class OrientationServer extends Thread {
    private volatile int rotation;

    OrientationServer(int rotation) {
        this.rotation = rotation;
    }

    @Override
    public void run() {
        try {
            // ruleid: android.network.server-socket-exposed
            LocalServerSocket server = new LocalServerSocket("com.example.handlers.orientation");
            while (true) {
                LocalSocket client = server.accept();
                PrintWriter out = new PrintWriter(client.getOutputStream());
                out.println(rotation * 90);
                out.println("ok");
                out.flush();
                client.close();
            }
        } catch (Exception e) {
            e.printStackTrace();
        }
    }
}
