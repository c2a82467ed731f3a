package com.example.wvbridge;

import android.app.Activity;
import android.os.Bundle;
import android.webkit.JavascriptInterface;
import android.webkit.WebView;

/** minSdk 21: only @JavascriptInterface methods are reachable, reported at medium severity. */
public class MainActivity extends Activity {
    @Override
    protected void onCreate(Bundle savedInstanceState) {
        super.onCreate(savedInstanceState);
        WebView web = new WebView(this);
        // ruleid: android.webview.javascript-interface
        web.addJavascriptInterface(new Bridge(), "bridge");
        // ok: android.webview.javascript-interface
        web.removeJavascriptInterface("searchBoxJavaBridge_");
        web.loadUrl("https://example.com/");
    }

    static class Bridge {
        @JavascriptInterface
        public String version() {
            return "1";
        }
    }
}
