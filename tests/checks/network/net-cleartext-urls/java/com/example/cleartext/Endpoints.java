package com.example.cleartext;

import android.util.Log;
import android.webkit.WebView;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URL;
import okhttp3.Request;
import org.apache.http.client.methods.HttpGet;

/** targetSdk 27 without a config: cleartext is permitted, so every http:// URL that reaches
 *  a connecting API is a finding; https, loopback and values we cannot know are not. */
public class Endpoints {
    static final String HOME = "http://www.example.com/home";
    static String cdn = "http://cdn.example.com/";

    public static HttpURLConnection login() throws IOException {
        // ruleid: android.network.cleartext-url
        URL url = new URL("http://api.example.com/login");
        return (HttpURLConnection) url.openConnection();
    }

    public static HttpURLConnection loginTls() throws IOException {
        // ok: android.network.cleartext-url
        URL url = new URL("https://api.example.com/login");
        return (HttpURLConnection) url.openConnection();
    }

    public static URL user(String id) throws IOException {
        // ruleid: android.network.cleartext-url
        return new URL("http://api.example.com/users/" + id);
    }

    public static URL userTls(String id) throws IOException {
        // ok: android.network.cleartext-url
        return new URL("https://api.example.com/users/" + id);
    }

    public static URL local() throws IOException {
        // ok: android.network.cleartext-url
        URL a = new URL("http://localhost:8080/status");
        // ok: android.network.cleartext-url
        URL b = new URL("http://10.0.2.2/debug");
        return a.equals(b) ? a : b;
    }

    public static URL fromCaller(String given) throws IOException {
        // ok: android.network.cleartext-url
        return new URL(given);
    }

    public static void mentions() {
        // ok: android.network.cleartext-url
        Log.d("ns", "http://schemas.android.com/apk/res/android and http://www.example.com/");
    }

    public static void browse(WebView view) {
        // ruleid: android.network.cleartext-url
        view.loadUrl(HOME);
        // ok: android.network.cleartext-url
        view.loadUrl("https://www.example.com/home");
    }

    public static URL asset() throws IOException {
        // ruleid: android.network.cleartext-url
        return new URL(cdn);
    }

    public static Object apache() {
        // ruleid: android.network.cleartext-url
        HttpGet plain = new HttpGet("http://api.example.com/items");
        // ok: android.network.cleartext-url
        HttpGet tls = new HttpGet("https://api.example.com/items");
        return plain.equals(tls) ? plain : tls;
    }

    public static Request okhttp(boolean secure) {
        String base = secure ? "https://api.example.com/v1" : "http://api.example.com/v1";
        // ruleid: android.network.cleartext-url
        return new Request.Builder().url(base).build();
    }

    public static Request okhttpTls() {
        // ok: android.network.cleartext-url
        return new Request.Builder().url("https://api.example.com/v1").build();
    }
}
