package com.example.hijack;

import android.app.Activity;
import android.content.Intent;

/** Implicit Intents of the app's own action (hijackable) and their twins: explicit, the
 * platform's own actions, no secrets and no result expected. */
public class MainActivity extends Activity {
    static final String LOGIN = "com.example.hijack.action.LOGIN";
    private String sessionToken;

    void askForLogin() {
        Intent intent = new Intent("com.example.hijack.action.LOGIN");
        // ruleid: android.icc.implicit-activity-hijack
        startActivityForResult(intent, 1);
    }

    void askForLoginExplicitly() {
        Intent intent = new Intent(this, LoginActivity.class);
        // ok: android.icc.implicit-activity-hijack
        startActivityForResult(intent, 2);
    }

    void askForLoginInPackage() {
        Intent intent = new Intent(LOGIN);
        intent.setPackage("com.example.hijack");
        // ok: android.icc.implicit-activity-hijack
        startActivityForResult(intent, 3);
    }

    void pickPhoto() {
        Intent intent = new Intent("android.intent.action.GET_CONTENT");
        // ok: android.icc.implicit-activity-hijack
        startActivityForResult(intent, 4);
    }

    void openWithToken() {
        Intent intent = new Intent("com.example.hijack.action.PROFILE");
        intent.putExtra("auth_token", sessionToken);
        // ruleid: android.icc.implicit-activity-hijack
        startActivity(intent);
    }

    void openWithoutSecrets() {
        Intent intent = new Intent("com.example.hijack.action.PROFILE");
        intent.putExtra("theme", "dark");
        // ok: android.icc.implicit-activity-hijack
        startActivity(intent);
    }

    void openWithTokenInUrl(String token) {
        Intent intent = new Intent("com.example.hijack.action.WEBVIEW");
        intent.putExtra("url", "https://example.com/?token=" + token);
        // ruleid: android.icc.implicit-activity-hijack
        startActivity(intent);
    }

    void openWithPlainUrl(String page) {
        Intent intent = new Intent("com.example.hijack.action.WEBVIEW");
        intent.putExtra("url", "https://example.com/?page=" + page);
        // ok: android.icc.implicit-activity-hijack
        startActivity(intent);
    }

    void shareWithToken() {
        Intent intent = new Intent("android.intent.action.SEND");
        intent.putExtra("auth_token", sessionToken);
        // ok: android.icc.implicit-activity-hijack
        startActivity(intent);
    }
}
