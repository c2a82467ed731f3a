package com.example.wvsettings30;

import android.app.Activity;
import android.os.Bundle;
import android.webkit.WebView;

/** targetSdk 30: file access is off by default, so enabling JavaScript alone does not leave it on. */
public class MainActivity extends Activity {
    @Override
    protected void onCreate(Bundle savedInstanceState) {
        super.onCreate(savedInstanceState);
        WebView web = new WebView(this);
        // ruleid: android.webview.javascript-enabled
        // ok: android.webview.file-access
        web.getSettings().setJavaScriptEnabled(true);
        web.loadUrl("https://example.com/");
    }
}
