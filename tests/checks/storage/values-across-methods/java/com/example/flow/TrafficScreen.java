package com.example.flow;

import java.io.IOException;
import java.net.URL;

/** What Kotlin makes of `var httpUrl = "http://..."`: a field set in the constructor, a
 * getter, and a setter nothing calls (AndroGoat's TrafficActivity). The uncalled setter
 * never runs, so the field is the constant. */
public class TrafficScreen {
    private String httpUrl = "http://demo.example.net";

    public String getHttpUrl() {
        return httpUrl;
    }

    public void setHttpUrl(String value) {
        httpUrl = value;
    }

    void onClick() throws IOException {
        run(getHttpUrl());
    }

    void run(String url) throws IOException {
        // ruleid: android.network.cleartext-url
        new URL(url).openConnection();
    }
}
