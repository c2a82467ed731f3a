package com.example.ctwebview;

import android.app.Activity;
import android.os.Bundle;
import android.webkit.WebView;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URL;

/** Talks over HTTP to an agent on the device, and shows a page whose address it is given. */
public class MainActivity extends Activity {
    @Override
    protected void onCreate(Bundle savedInstanceState) {
        super.onCreate(savedInstanceState);
        WebView view = new WebView(this);
        setContentView(view);
        String page = getIntent().getStringExtra("page");
        if (page != null) {
            view.loadUrl(page);
        }
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
