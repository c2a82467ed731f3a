package com.example.geohelper;

import android.app.Activity;
import android.webkit.GeolocationPermissions;
import android.webkit.WebChromeClient;

/** Geolocation granted in a helper the prompt hands its callback to, and the twins: a
 * helper that checks the origin, and a prompt that checks before calling the helper. */
public class MainActivity extends Activity {
    static void grant(String origin, GeolocationPermissions.Callback callback) {
        // ruleid: android.webview.geolocation-granted
        callback.invoke(origin, true, true);
    }

    static void grantKnown(String origin, GeolocationPermissions.Callback callback) {
        boolean known = "https://maps.example.com".equals(origin);
        if (known) {
            // ok: android.webview.geolocation-granted
            callback.invoke(origin, true, false);
        }
    }

    static void grantAfterPromptCheck(String origin, GeolocationPermissions.Callback callback) {
        // ok: android.webview.geolocation-granted
        callback.invoke(origin, true, false);
    }

    static class Delegating extends WebChromeClient {
        public void onGeolocationPermissionsShowPrompt(String origin, GeolocationPermissions.Callback callback) {
            grant(origin, callback);
        }
    }

    static class DelegatingToChecker extends WebChromeClient {
        public void onGeolocationPermissionsShowPrompt(String origin, GeolocationPermissions.Callback callback) {
            grantKnown(origin, callback);
        }
    }

    static class CheckingFirst extends WebChromeClient {
        public void onGeolocationPermissionsShowPrompt(String origin, GeolocationPermissions.Callback callback) {
            if (origin.startsWith("https://maps.example.com/")) {
                grantAfterPromptCheck(origin, callback);
            }
        }
    }
}
