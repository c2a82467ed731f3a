package com.example.demo;

import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;

/** Talks to the backend over plain http://, so credentials cross the network in clear. */
public final class ApiClient {
    static final String LOGIN_URL = "http://api.demoshop.example.com/v1/login";
    static final String PROMO_URL = "http://promo.demoshop.example.com/index.html";

    private ApiClient() {
    }

    static int post(String url, String body) {
        try {
            HttpURLConnection conn = (HttpURLConnection) new URL(url).openConnection();
            conn.setRequestMethod("POST");
            conn.setDoOutput(true);
            OutputStream out = conn.getOutputStream();
            out.write(body.getBytes("UTF-8"));
            out.close();
            return conn.getResponseCode();
        } catch (Exception e) {
            return -1;
        }
    }
}
