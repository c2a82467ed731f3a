package com.example.okhttpfixed;

import android.app.Activity;
import android.os.Bundle;
import android.util.Log;

public class MainActivity extends Activity {
    // A constant no code loads (it lives in static_values only): it dates nothing.
    static final String OLD_AGENT = "okhttp/2.0.0";

    @Override
    protected void onCreate(Bundle state) {
        super.onCreate(state);
        Log.i("agent", okhttp3.internal.Version.userAgent());
    }
}
