package com.example.wvsettings;

import android.app.Activity;
import android.os.Bundle;
import android.webkit.WebSettings;
import android.webkit.WebView;

public class MainActivity extends Activity {
    private final boolean fromServer = System.currentTimeMillis() > 0;

    @Override
    protected void onCreate(Bundle savedInstanceState) {
        super.onCreate(savedInstanceState);
        WebView web = new WebView(this);
        WebSettings s = web.getSettings();
        // ruleid: android.webview.javascript-enabled, android.webview.file-access
        s.setJavaScriptEnabled(true);
        // ruleid: android.webview.file-url-access
        s.setAllowFileAccessFromFileURLs(true);
        // ruleid: android.webview.universal-file-access
        s.setAllowUniversalAccessFromFileURLs(true);
        // ruleid: android.webview.mixed-content
        s.setMixedContentMode(WebSettings.MIXED_CONTENT_ALWAYS_ALLOW);
        // minSdk 21: every device ignores setPluginState (API 18+), an info note only
        // ruleid: android.webview.plugin-state
        s.setPluginState(WebSettings.PluginState.ON);
        // ruleid: android.webview.debugging-enabled
        WebView.setWebContentsDebuggingEnabled(true);
        web.loadUrl("https://example.com/");
        hardened(new WebView(this));
        explicitFileAccess(new WebView(this).getSettings());
        configurable(new WebView(this).getSettings(), fromServer);
    }

    private void hardened(WebView web) {
        WebSettings s = web.getSettings();
        // ruleid: android.webview.javascript-enabled
        // ok: android.webview.file-access
        s.setJavaScriptEnabled(true);
        // ok: android.webview.file-access
        s.setAllowFileAccess(false);
        // ok: android.webview.file-url-access
        s.setAllowFileAccessFromFileURLs(false);
        // ok: android.webview.universal-file-access
        s.setAllowUniversalAccessFromFileURLs(false);
        // ok: android.webview.mixed-content
        s.setMixedContentMode(WebSettings.MIXED_CONTENT_NEVER_ALLOW);
        // ok: android.webview.mixed-content
        s.setMixedContentMode(WebSettings.MIXED_CONTENT_COMPATIBILITY_MODE);
        // ok: android.webview.plugin-state
        s.setPluginState(WebSettings.PluginState.OFF);
        // ok: android.webview.debugging-enabled
        WebView.setWebContentsDebuggingEnabled(false);
    }

    private void explicitFileAccess(WebSettings s) {
        // ok: android.webview.javascript-enabled
        s.setJavaScriptEnabled(false);
        // ruleid: android.webview.file-access
        s.setAllowFileAccess(true);
        // ruleid: android.webview.plugin-state
        s.setPluginState(WebSettings.PluginState.ON_DEMAND);
    }

    private void configurable(WebSettings s, boolean flag) {
        // ok: android.webview.javascript-enabled, android.webview.file-access
        s.setJavaScriptEnabled(flag);
        // ok: android.webview.debugging-enabled
        WebView.setWebContentsDebuggingEnabled(flag);
        // ok: android.webview.file-url-access
        s.setAllowFileAccessFromFileURLs(flag);
    }
}
