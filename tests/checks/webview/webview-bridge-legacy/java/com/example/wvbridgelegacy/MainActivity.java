package com.example.wvbridgelegacy;

import android.app.Activity;
import android.os.Bundle;
import android.webkit.WebSettings;
import android.webkit.WebView;

/** minSdk 16: every public method of the bridge (getClass() too) is reachable on old devices. */
public class MainActivity extends Activity {
    @Override
    protected void onCreate(Bundle savedInstanceState) {
        super.onCreate(savedInstanceState);
        ChatWebView web = new ChatWebView(this);
        // ruleid: android.webview.javascript-interface
        web.addJavascriptInterface(this, "host");
        // ok: android.webview.javascript-interface
        web.removeJavascriptInterface("accessibility");
        plugins(web.getSettings());
    }

    /** minSdk 16: plugins still run on API 16-17 devices. */
    void plugins(WebSettings s) {
        // ruleid: android.webview.plugin-state
        s.setPluginState(WebSettings.PluginState.ON);
        // ok: android.webview.plugin-state
        s.setPluginState(WebSettings.PluginState.OFF);
    }

    public String token() {
        return "t";
    }

    /** Calls through an app subclass are WebView calls too. */
    static class ChatWebView extends WebView {
        ChatWebView(Activity a) {
            super(a);
        }
    }
}
