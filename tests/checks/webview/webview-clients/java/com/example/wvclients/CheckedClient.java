package com.example.wvclients;

import android.app.Activity;
import android.content.Intent;
import android.net.Uri;
import android.webkit.WebResourceRequest;
import android.webkit.WebResourceResponse;
import android.webkit.WebView;
import android.webkit.WebViewClient;
import java.io.FileInputStream;
import java.io.FileNotFoundException;

/** The same sinks, each behind a check of the URL. */
public class CheckedClient extends WebViewClient {
    private final Activity activity;

    CheckedClient(Activity activity) {
        this.activity = activity;
    }

    @Override
    public boolean shouldOverrideUrlLoading(WebView view, String url) {
        Uri uri = Uri.parse(url);
        if (!"example.com".equals(uri.getHost())) {
            return true;
        }
        // ok: android.webview.override-url-unvalidated
        activity.startActivity(new Intent(Intent.ACTION_VIEW, uri));
        return true;
    }

    @Override
    public boolean shouldOverrideUrlLoading(WebView view, WebResourceRequest request) {
        String url = request.getUrl().toString();
        if (url.startsWith("https://example.com/")) {
            // ok: android.webview.override-url-unvalidated
            view.loadUrl(url);
        }
        return true;
    }

    @Override
    public WebResourceResponse shouldInterceptRequest(WebView view, String url) {
        try {
            // ok: android.webview.override-url-unvalidated
            FileInputStream in = new FileInputStream("/data/local/tmp/fixed.html");
            return new WebResourceResponse("text/html", "utf-8", in);
        } catch (FileNotFoundException e) {
            return null;
        }
    }
}
