package com.example.wvclients;

import android.app.Activity;
import android.os.Bundle;
import android.webkit.WebView;

public class MainActivity extends Activity {
    @Override
    protected void onCreate(Bundle savedInstanceState) {
        super.onCreate(savedInstanceState);
        WebView web = new WebView(this);
        web.setWebViewClient(new OpenClient(this));
        web.setWebChromeClient(new GeoClients.Trusting());
        web.loadUrl("https://example.com/");
    }
}
