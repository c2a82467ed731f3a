package com.example.tls;

import android.net.http.SslError;
import android.webkit.SslErrorHandler;
import android.webkit.WebView;
import android.webkit.WebViewClient;

/** WebViewClients: one that clicks through certificate errors, one that refuses them. */
public class Browsers {

    static class Proceeding extends WebViewClient {
        public void onReceivedSslError(WebView view, SslErrorHandler handler, SslError error) {
            // ruleid: android.network.webview-ssl-error-proceed
            handler.proceed();
        }
    }

    static class ProceedingForSomeErrors extends WebViewClient {
        public void onReceivedSslError(WebView view, SslErrorHandler handler, SslError error) {
            if (error.getPrimaryError() == SslError.SSL_UNTRUSTED) {
                // ruleid: android.network.webview-ssl-error-proceed
                handler.proceed();
            } else {
                // ok: android.network.webview-ssl-error-proceed
                handler.cancel();
            }
        }
    }

    static class Cancelling extends WebViewClient {
        public void onReceivedSslError(WebView view, SslErrorHandler handler, SslError error) {
            // ok: android.network.webview-ssl-error-proceed
            handler.cancel();
        }
    }

    /** proceed() outside the callback, as a dialog's "continue anyway" button does. */
    static class AskUser {
        private final SslErrorHandler handler;
        AskUser(SslErrorHandler handler) { this.handler = handler; }
        void onContinueClicked() {
            // ruleid: android.network.webview-ssl-error-proceed
            handler.proceed();
        }
    }
}
