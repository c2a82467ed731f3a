package com.example.theft;

import android.app.Activity;
import android.net.Uri;
import android.os.Bundle;
import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;

/** Exported, but the URI it opens is one it builds itself: the caller chooses nothing. */
public class OwnFileActivity extends Activity {
    @Override
    protected void onCreate(Bundle state) {
        super.onCreate(state);
        String name = getIntent().getStringExtra("label");
        Uri report = Uri.fromFile(new File(getFilesDir(), "report.txt"));
        File out = new File(getExternalFilesDir(null), "report-" + name);
        try {
            // ok: android.icc.uri-file-theft
            InputStream in = getContentResolver().openInputStream(report);
            Copier.copy(in, new FileOutputStream(out));
        } catch (IOException e) {
            out.delete();
        }
        finish();
    }
}
