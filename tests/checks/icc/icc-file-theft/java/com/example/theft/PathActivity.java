package com.example.theft;

import android.app.Activity;
import android.net.Uri;
import android.os.Bundle;
import android.os.Environment;
import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;

/** Opens the file a file:// URI names, by its path, and exports it. */
public class PathActivity extends Activity {
    @Override
    protected void onCreate(Bundle state) {
        super.onCreate(state);
        Uri uri = getIntent().getData();
        try {
            // ruleid: android.icc.uri-file-theft
            FileInputStream in = new FileInputStream(new File(uri.getPath()));
            File dir = Environment.getExternalStoragePublicDirectory(Environment.DIRECTORY_DOWNLOADS);
            Copier.copy(in, new FileOutputStream(new File(dir, uri.getLastPathSegment())));
        } catch (IOException e) {
            setResult(RESULT_CANCELED);
        }
        finish();
    }
}
