package com.example.handlers;

import android.net.LocalServerSocket;
import android.net.LocalSocket;
import android.telephony.TelephonyManager;
import java.io.PrintWriter;

/** Answers every client with the device id: any app on the device reads it. */
public class DeviceIdServer extends Thread {
    private final TelephonyManager telephony;

    DeviceIdServer(TelephonyManager telephony) {
        this.telephony = telephony;
    }

    @Override
    public void run() {
        try {
            // ruleid: android.network.server-socket-exposed
            LocalServerSocket server = new LocalServerSocket("com.example.handlers.deviceid");
            while (true) {
                LocalSocket client = server.accept();
                PrintWriter out = new PrintWriter(client.getOutputStream());
                out.println(telephony.getDeviceId());
                out.flush();
                client.close();
            }
        } catch (Exception e) {
            e.printStackTrace();
        }
    }
}
