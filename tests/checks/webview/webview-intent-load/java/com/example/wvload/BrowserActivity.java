package com.example.wvload;

import android.app.Activity;
import android.content.Intent;
import android.net.Uri;
import android.os.Bundle;
import android.webkit.WebView;

public class BrowserActivity extends Activity {
    private WebView web;
    private String pending;
    private String home = "https://example.com/";

    @Override
    protected void onCreate(Bundle savedInstanceState) {
        super.onCreate(savedInstanceState);
        web = new WebView(this);
        String url = getIntent().getStringExtra("url");
        // ruleid: android.webview.intent-url-load
        web.loadUrl(url);
        Uri data = getIntent().getData();
        // ruleid: android.webview.intent-url-load
        web.loadUrl(data.toString());
        // ruleid: android.webview.intent-url-load
        web.loadUrl("https://example.com/?q=" + data.getQueryParameter("q"));
        // ruleid: android.webview.intent-url-load
        web.loadDataWithBaseURL(null, getIntent().getStringExtra("html"), "text/html", "utf-8", null);
        pending = getIntent().getDataString();
        // ok: android.webview.intent-url-load
        web.loadUrl(home);
        // ok: android.webview.intent-url-load
        web.loadUrl("https://example.com/help");
        // ok: android.webview.intent-url-load
        web.loadData("<p>hello</p>", "text/html", "utf-8");
        String label = getIntent().getStringExtra("title");
        // ok: android.webview.intent-url-load
        web.loadUrl("https://example.com/search");
        remember(label);
    }

    @Override
    protected void onNewIntent(Intent intent) {
        // ruleid: android.webview.intent-url-load
        web.postUrl(intent.getStringExtra("target"), new byte[0]);
    }

    @Override
    protected void onResume() {
        super.onResume();
        // ruleid: android.webview.intent-url-load
        web.loadUrl(pending);
    }

    void remember(String t) {
        home = "https://example.com/" + t.length();
    }
}
