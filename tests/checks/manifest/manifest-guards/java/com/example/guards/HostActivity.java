package com.example.guards;

import android.app.Activity;
import android.net.Uri;
import android.os.Bundle;

/** Opens only links to its own host. */
public class HostActivity extends Activity {
    @Override
    protected void onCreate(Bundle state) {
        super.onCreate(state);
        Uri link = getIntent().getData();
        if (link == null || !"example.com".equals(link.getHost())) {
            finish();
            return;
        }
        getSharedPreferences("links", 0).edit().putString("last", link.toString()).commit();
    }
}
