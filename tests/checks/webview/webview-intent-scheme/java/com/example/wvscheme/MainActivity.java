package com.example.wvscheme;

import android.app.Activity;
import android.content.Intent;
import android.os.Bundle;
import java.net.URISyntaxException;

public class MainActivity extends Activity {
    @Override
    protected void onCreate(Bundle savedInstanceState) {
        super.onCreate(savedInstanceState);
        String link = getIntent().getStringExtra("link");
        try {
            open(link);
            openSafely(link);
            openHalfSafely(link);
            readFallback(link);
        } catch (URISyntaxException e) {
            finish();
        }
    }

    void open(String url) throws URISyntaxException {
        Intent intent = Intent.parseUri(url, Intent.URI_INTENT_SCHEME);
        // ruleid: android.webview.intent-scheme-uri
        startActivity(intent);
    }

    void openSafely(String url) throws URISyntaxException {
        Intent intent = Intent.parseUri(url, Intent.URI_INTENT_SCHEME);
        intent.addCategory(Intent.CATEGORY_BROWSABLE);
        intent.setComponent(null);
        intent.setSelector(null);
        // ok: android.webview.intent-scheme-uri
        startActivity(intent);
    }

    void openHalfSafely(String url) throws URISyntaxException {
        Intent intent = Intent.parseUri(url, Intent.URI_INTENT_SCHEME);
        intent.addCategory(Intent.CATEGORY_BROWSABLE);
        // ruleid: android.webview.intent-scheme-uri
        startActivity(intent);
    }

    void readFallback(String url) throws URISyntaxException {
        Intent intent = Intent.parseUri(url, Intent.URI_INTENT_SCHEME);
        // ok: android.webview.intent-scheme-uri
        startActivity(new Intent(Intent.ACTION_VIEW, intent.getData()));
    }
}
