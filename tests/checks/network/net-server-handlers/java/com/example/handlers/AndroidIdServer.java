package com.example.handlers;

import android.content.ContentResolver;
import android.provider.Settings;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;

/** Sends the device's ANDROID_ID (no permission needed to read it) to anyone on the network. */
public class AndroidIdServer extends Thread {
    private final ContentResolver resolver;

    AndroidIdServer(ContentResolver resolver) {
        this.resolver = resolver;
    }

    @Override
    public void run() {
        try {
            // ruleid: android.network.server-socket-exposed
            ServerSocket server = new ServerSocket(7071);
            while (true) {
                Socket client = server.accept();
                OutputStream out = client.getOutputStream();
                out.write(Settings.Secure.getString(resolver, "android_id").getBytes());
                client.close();
            }
        } catch (Exception e) {
            e.printStackTrace();
        }
    }
}
