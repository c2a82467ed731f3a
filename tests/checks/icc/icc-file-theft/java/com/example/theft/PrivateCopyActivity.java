package com.example.theft;

import android.app.Activity;
import android.content.Intent;
import android.net.Uri;
import android.os.Bundle;
import android.view.View;
import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;

/** The twin of PickerActivity that keeps the picked file in app-private storage: whatever
 * the answering app names stays inside this app. */
public class PrivateCopyActivity extends Activity {
    static final int PICK = 8;

    @Override
    protected void onCreate(Bundle state) {
        super.onCreate(state);
        View button = new View(this);
        button.setOnClickListener(new View.OnClickListener() {
            @Override
            public void onClick(View v) {
                Intent pick = new Intent(Intent.ACTION_GET_CONTENT);
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
            // ok: android.icc.uri-file-theft
            save(data.getData());
        }
    }

    private void save(Uri picked) {
        File out = new File(getFilesDir(), "picked.jpg");
        try {
            InputStream in = getContentResolver().openInputStream(picked);
            Copier.copy(in, new FileOutputStream(out));
        } catch (IOException e) {
            out.delete();
        }
    }
}
