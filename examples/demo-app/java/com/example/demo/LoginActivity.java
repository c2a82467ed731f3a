package com.example.demo;

import android.app.Activity;
import android.content.Context;
import android.content.Intent;
import android.content.SharedPreferences;
import android.os.Bundle;
import android.util.Log;

/** Login screen: logs the password and keeps the session token in world-readable prefs. */
public class LoginActivity extends Activity {
    private static final String TAG = "DemoLogin";

    @Override
    protected void onCreate(Bundle savedInstanceState) {
        super.onCreate(savedInstanceState);
        Intent intent = getIntent();
        String user = intent.getStringExtra("user");
        String password = intent.getStringExtra("password");
        login(user, password);
    }

    void login(String user, String password) {
        Log.d(TAG, "login user=" + user + " password=" + password);
        String token = CryptoUtil.encrypt(user + ":" + password);
        SharedPreferences prefs = getSharedPreferences("session", Context.MODE_WORLD_READABLE);
        prefs.edit().putString("token", token).putString("password", password).commit();
        ApiClient.post(ApiClient.LOGIN_URL, token);
        startActivity(new Intent(this, PromoWebActivity.class));
    }
}
