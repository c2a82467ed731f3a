package com.example.ctremote;

import android.app.Activity;
import android.os.Bundle;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URL;

/** Talks over HTTP to an agent on the device and to a server on the network. */
public class MainActivity extends Activity {
    @Override
    protected void onCreate(Bundle savedInstanceState) {
        super.onCreate(savedInstanceState);
        try {
            status();
            report();
        } catch (IOException e) {
            // the agent or the server is not there
        }
    }

    static int report() throws IOException {
        URL url = new URL("http://api.example.com/report");
        return ((HttpURLConnection) url.openConnection()).getResponseCode();
    }

    static int status() throws IOException {
        URL url = new URL("http://127.0.0.1:7912/info");
        HttpURLConnection c = (HttpURLConnection) url.openConnection();
        return c.getResponseCode();
    }
}
