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

/** Acts on every URL the page asks for: no check of host or scheme anywhere. */
public class OpenClient extends WebViewClient {
    private final Activity activity;

    OpenClient(Activity activity) {
        this.activity = activity;
    }

    @Override
    public boolean shouldOverrideUrlLoading(WebView view, String url) {
        // ruleid: android.webview.override-url-unvalidated
        activity.startActivity(new Intent(Intent.ACTION_VIEW, Uri.parse(url)));
        return true;
    }

    @Override
    public boolean shouldOverrideUrlLoading(WebView view, WebResourceRequest request) {
        // ruleid: android.webview.override-url-unvalidated
        view.loadUrl(request.getUrl().toString());
        return true;
    }

    @Override
    public WebResourceResponse shouldInterceptRequest(WebView view, String url) {
        try {
            // ruleid: android.webview.override-url-unvalidated
            FileInputStream in = new FileInputStream(Uri.parse(url).getPath());
            return new WebResourceResponse("text/html", "utf-8", in);
        } catch (FileNotFoundException e) {
            return null;
        }
    }
}
