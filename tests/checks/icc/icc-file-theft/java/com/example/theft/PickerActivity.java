package com.example.theft;

import android.app.Activity;
import android.content.Intent;
import android.net.Uri;
import android.os.Bundle;
import android.os.Environment;
import android.view.View;
import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;

/** Asks for a picture with ACTION_PICK and keeps a copy of what comes back on the SD card:
 * any app can answer the pick with a URI of this app's private files. */
public class PickerActivity extends Activity {
    static final int PICK = 7;

    @Override
    protected void onCreate(Bundle state) {
        super.onCreate(state);
        View button = new View(this);
        button.setOnClickListener(new View.OnClickListener() {
            @Override
            public void onClick(View v) {
                Intent pick = new Intent(Intent.ACTION_PICK);
                pick.setType("image/*");
                startActivityForResult(pick, PICK);
            }
        });
        setContentView(button);
    }

    @Override
    protected void onActivityResult(int requestCode, int resultCode, Intent data) {
        super.onActivityResult(requestCode, resultCode, data);
        if (requestCode == PICK && resultCode == RESULT_OK && data != null) {
            // ruleid: android.icc.uri-file-theft
            save(data.getData());
        }
    }

    private void save(Uri picked) {
        File out = new File(Environment.getExternalStorageDirectory(), "picked.jpg");
        try {
            InputStream in = getContentResolver().openInputStream(picked);
            Copier.copy(in, new FileOutputStream(out));
        } catch (IOException e) {
            out.delete();
        }
    }
}
