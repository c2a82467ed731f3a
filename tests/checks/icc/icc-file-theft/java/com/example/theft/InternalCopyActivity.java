package com.example.theft;

import android.app.Activity;
import android.net.Uri;
import android.os.Bundle;
import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;

/** Not exported itself: what it copies comes from ForwardActivity, where it is reported. */
public class InternalCopyActivity extends Activity {
    @Override
    protected void onCreate(Bundle state) {
        super.onCreate(state);
        Uri doc = getIntent().getParcelableExtra("doc");
        File out = new File(getExternalFilesDir(null), "doc");
        try {
            // ok: android.icc.uri-file-theft
            InputStream in = getContentResolver().openInputStream(doc);
            Copier.copy(in, new FileOutputStream(out));
        } catch (IOException e) {
            out.delete();
        }
        finish();
    }
}
