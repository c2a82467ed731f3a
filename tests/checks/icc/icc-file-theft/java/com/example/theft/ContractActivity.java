package com.example.theft;

import android.net.Uri;
import android.os.Bundle;
import android.os.Environment;
import androidx.activity.ComponentActivity;
import androidx.activity.result.ActivityResultCallback;
import androidx.activity.result.ActivityResultLauncher;
import androidx.activity.result.contract.ActivityResultContracts;
import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;

/** The ActivityResult API: GetContent is ACTION_GET_CONTENT, answered by any app. */
public class ContractActivity extends ComponentActivity {
    private ActivityResultLauncher<String> picker;

    @Override
    protected void onCreate(Bundle state) {
        super.onCreate(state);
        picker = registerForActivityResult(new ActivityResultContracts.GetContent(),
                new ActivityResultCallback<Uri>() {
                    @Override
                    public void onActivityResult(Uri uri) {
                        // ruleid: android.icc.uri-file-theft
                        keep(uri);
                    }
                });
        picker.launch("*/*");
    }

    void keep(Uri uri) {
        File out = new File(Environment.getExternalStorageDirectory(), "attachment");
        try {
            InputStream in = getContentResolver().openInputStream(uri);
            Copier.copy(in, new FileOutputStream(out));
        } catch (IOException e) {
            out.delete();
        }
    }
}
