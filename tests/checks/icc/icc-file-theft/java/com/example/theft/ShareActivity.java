package com.example.theft;

import android.app.Activity;
import android.content.Intent;
import android.net.Uri;
import android.os.Bundle;
import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;

/** A share target that keeps a copy of what it is sent on external storage: a sender that
 * passes content://com.example.theft... or file:///data/data/com.example.theft/... gets the
 * app's private file copied where it can read it. */
public class ShareActivity extends Activity {
    @Override
    protected void onCreate(Bundle state) {
        super.onCreate(state);
        Uri uri = getIntent().getParcelableExtra(Intent.EXTRA_STREAM);
        if (uri != null) {
            // ruleid: android.icc.uri-file-theft
            keepCopy(uri);
        }
        finish();
    }

    private void keepCopy(Uri uri) {
        File out = new File(getExternalFilesDir(null), "shared-" + System.currentTimeMillis());
        try {
            InputStream in = getContentResolver().openInputStream(uri);
            Copier.copy(in, new FileOutputStream(out));
        } catch (IOException e) {
            out.delete();
        }
    }
}
