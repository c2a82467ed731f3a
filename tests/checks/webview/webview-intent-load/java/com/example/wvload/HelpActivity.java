package com.example.wvload;

import android.app.Activity;
import android.net.Uri;
import android.os.Bundle;
import android.webkit.WebView;

public class HelpActivity extends Activity {
    @Override
    protected void onCreate(Bundle savedInstanceState) {
        super.onCreate(savedInstanceState);
        WebView web = new WebView(this);
        // ruleid: android.webview.intent-url-load
        web.loadUrl(getIntent().getStringExtra("page"));
        Uri fixed = Uri.parse("https://example.com/help?topic=start");
        // ok: android.webview.intent-url-load
        web.loadUrl("https://example.com/" + fixed.getQueryParameter("topic"));
    }

    void openDeepLink(WebView web, Uri link) {
        // ruleid: android.webview.intent-url-load
        web.loadUrl(link.getQueryParameter("url"));
    }
}
