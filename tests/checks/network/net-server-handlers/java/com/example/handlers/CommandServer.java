package com.example.handlers;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.Socket;

/** Runs what a client sends: a shell for anyone on the network. */
public class CommandServer extends Thread {
    @Override
    public void run() {
        try {
            // ruleid: android.network.server-socket-exposed
            ServerSocket server = new ServerSocket(7070);
            while (true) {
                Socket client = server.accept();
                BufferedReader in =
                        new BufferedReader(new InputStreamReader(client.getInputStream()));
                Runtime.getRuntime().exec(in.readLine());
                client.close();
            }
        } catch (Exception e) {
            e.printStackTrace();
        }
    }
}
