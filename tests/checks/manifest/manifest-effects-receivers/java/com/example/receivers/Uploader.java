package com.example.receivers;

import java.io.IOException;
import java.net.URL;

/** Sends a status line to the app's server. */
final class Uploader {
    private Uploader() {}

    static void upload(String status) {
        try {
            new URL("https://status.example.com/report?s=" + status).openConnection().connect();
        } catch (IOException e) {
            // best effort
        }
    }
}
