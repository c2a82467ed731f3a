package com.example.gadgets;

import android.app.Activity;
import android.os.Bundle;
import java.io.File;

public class MainActivity extends Activity {
    @Override
    protected void onCreate(Bundle state) {
        super.onCreate(state);
        String q = getIntent().getStringExtra("q");
        // The helper a gadget uses is also called with the app's own fixed file: only the
        // gadget's call carries stream data.
        Cleaner.wipe(new File(getCacheDir(), "old"));
        if (q == null) {
            finish();
        }
    }
}
