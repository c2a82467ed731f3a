package com.example.nscloopback;

import android.app.Activity;
import android.os.Bundle;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URL;

/** Talks over HTTP only to an agent on the same device (127.0.0.1). */
public class MainActivity extends Activity {
    @Override
    protected void onCreate(Bundle savedInstanceState) {
        super.onCreate(savedInstanceState);
        try {
            status();
        } catch (IOException e) {
            // the agent is not running (a real app would not connect on the main thread)
        }
    }

    static int status() throws IOException {
        URL url = new URL("http://127.0.0.1:7912/info");
        HttpURLConnection c = (HttpURLConnection) url.openConnection();
        return c.getResponseCode();
    }
}
