package com.example.wvclients;

import android.view.View;
import android.webkit.GeolocationPermissions;
import android.webkit.WebChromeClient;

public class GeoClients {
    /** Grants every origin at once. */
    static class Trusting extends WebChromeClient {
        @Override
        public void onGeolocationPermissionsShowPrompt(String origin, GeolocationPermissions.Callback callback) {
            // ruleid: android.webview.geolocation-granted
            callback.invoke(origin, true, true);
        }
    }

    /** Refuses in the prompt. */
    static class Refusing extends WebChromeClient {
        @Override
        public void onGeolocationPermissionsShowPrompt(String origin, GeolocationPermissions.Callback callback) {
            // ok: android.webview.geolocation-granted
            callback.invoke(origin, false, false);
        }
    }

    /** Grants only a known origin. */
    static class AllowList extends WebChromeClient {
        @Override
        public void onGeolocationPermissionsShowPrompt(String origin, GeolocationPermissions.Callback callback) {
            boolean known = "https://maps.example.com".equals(origin);
            // ok: android.webview.geolocation-granted
            callback.invoke(origin, known, false);
            if (known) {
                // ok: android.webview.geolocation-granted
                callback.invoke(origin, true, false);
            }
        }
    }

    /** Asks the user first: the grant happens in the click handler, not in the prompt. */
    static class Asking extends WebChromeClient {
        @Override
        public void onGeolocationPermissionsShowPrompt(final String origin, final GeolocationPermissions.Callback callback) {
            View.OnClickListener allow = new View.OnClickListener() {
                @Override
                public void onClick(View v) {
                    // ok: android.webview.geolocation-granted
                    callback.invoke(origin, true, false);
                }
            };
            allow.onClick(null);
        }
    }
}
