package com.example.theft;

import android.app.Activity;
import android.content.Intent;
import android.net.Uri;
import android.os.Bundle;
import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;

/** The twin of ShareActivity that other apps cannot start (not exported). */
public class InternalShareActivity extends Activity {
    @Override
    protected void onCreate(Bundle state) {
        super.onCreate(state);
        Uri uri = getIntent().getParcelableExtra(Intent.EXTRA_STREAM);
        File out = new File(getExternalFilesDir(null), "shared-" + System.currentTimeMillis());
        try {
            // ok: android.icc.uri-file-theft
            InputStream in = getContentResolver().openInputStream(uri);
            Copier.copy(in, new FileOutputStream(out));
        } catch (IOException e) {
            out.delete();
        }
        finish();
    }
}
