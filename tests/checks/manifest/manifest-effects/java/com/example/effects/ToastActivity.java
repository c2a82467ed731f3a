package com.example.effects;

import android.app.Activity;
import android.os.Bundle;
import android.widget.Toast;

/** Shows what the caller sent: no permission used, nothing stored or sent back. */
public class ToastActivity extends Activity {
    @Override
    protected void onCreate(Bundle state) {
        super.onCreate(state);
        String text = getIntent().getStringExtra("message");
        Toast.makeText(this, "note: " + text, Toast.LENGTH_SHORT).show();
        finish();
    }
}
