package com.example.theft;

import android.app.Activity;
import android.content.Intent;
import android.net.Uri;
import android.os.Bundle;
import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;

/** The twin of ShareActivity that accepts only content:// URIs of other apps' authorities. */
public class CheckedShareActivity extends Activity {
    @Override
    protected void onCreate(Bundle state) {
        super.onCreate(state);
        Uri uri = getIntent().getParcelableExtra(Intent.EXTRA_STREAM);
        if (uri != null && isForeign(uri)) {
            // ok: android.icc.uri-file-theft
            keepCopy(uri);
        }
        finish();
    }

    private boolean isForeign(Uri uri) {
        String authority = uri.getAuthority();
        return "content".equals(uri.getScheme())
                && authority != null
                && !authority.startsWith(getPackageName());
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
