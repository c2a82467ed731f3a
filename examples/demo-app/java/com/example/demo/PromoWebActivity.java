package com.example.demo;

import android.app.Activity;
import android.net.http.SslError;
import android.os.Bundle;
import android.webkit.JavascriptInterface;
import android.webkit.SslErrorHandler;
import android.webkit.WebSettings;
import android.webkit.WebView;
import android.webkit.WebViewClient;

/** Exported WebView screen: JavaScript on, a JS bridge, file access, SSL errors ignored. */
public class PromoWebActivity extends Activity {
    @Override
    protected void onCreate(Bundle savedInstanceState) {
        super.onCreate(savedInstanceState);
        WebView web = new WebView(this);
        WebSettings settings = web.getSettings();
        settings.setJavaScriptEnabled(true);
        settings.setAllowFileAccessFromFileURLs(true);
        web.addJavascriptInterface(new Bridge(), "shop");
        web.setWebViewClient(new WebViewClient() {
            @Override
            public void onReceivedSslError(WebView view, SslErrorHandler handler, SslError error) {
                handler.proceed();
            }
        });
        String url = getIntent().getStringExtra("url");
        web.loadUrl(url != null ? url : ApiClient.PROMO_URL);
        setContentView(web);
    }

    /** Reachable from any page the WebView loads. */
    static class Bridge {
        @JavascriptInterface
        public String sessionToken() {
            return "token";
        }
    }
}
