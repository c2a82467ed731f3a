package com.example.theft;

import android.app.Activity;
import android.content.Intent;
import android.os.Bundle;

/** Exported: passes the URI it is sent on to an internal activity, which copies it out. */
public class ForwardActivity extends Activity {
    @Override
    protected void onCreate(Bundle state) {
        super.onCreate(state);
        Intent next = new Intent(this, InternalCopyActivity.class);
        // ruleid: android.icc.uri-file-theft
        next.putExtra("doc", getIntent().getData());
        startActivity(next);
        finish();
    }
}
