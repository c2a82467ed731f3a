package com.example.flow;

import java.io.IOException;
import java.net.URL;

/** The twin: the same property, but the app calls its setter with a run-time value, so
 * the field is not known to be the constant when the request is made. */
public class ConfigurableScreen {
    private String serverUrl = "http://demo.example.net";

    public String getServerUrl() {
        return serverUrl;
    }

    public void setServerUrl(String value) {
        serverUrl = value;
    }

    void configure(String fromSettings) {
        setServerUrl(fromSettings);
    }

    void onClick() throws IOException {
        send(getServerUrl());
    }

    void send(String url) throws IOException {
        // ok: android.network.cleartext-url
        new URL(url).openConnection();
    }
}
