package com.example.storage;

import android.app.Activity;
import android.content.Context;
import android.content.SharedPreferences;
import android.database.sqlite.SQLiteDatabase;
import android.os.Bundle;
import android.os.Environment;
import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.FileWriter;
import java.io.IOException;

/** File modes, external storage and temp files: each unsafe call next to a safe twin. */
public class MainActivity extends Activity {
    @Override
    protected void onCreate(Bundle savedInstanceState) {
        super.onCreate(savedInstanceState);
        try {
            modes(Context.MODE_WORLD_READABLE);
            external("secret");
            temp("data");
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    void modes(int passed) throws IOException {
        // ruleid: android.storage.world-accessible-mode
        FileOutputStream out = openFileOutput("notes.txt", Context.MODE_WORLD_READABLE);
        out.close();
        // ruleid: android.storage.world-accessible-mode
        SharedPreferences prefs = getSharedPreferences("prefs", MODE_WORLD_WRITEABLE);
        int mode = Context.MODE_WORLD_READABLE | Context.MODE_WORLD_WRITEABLE;
        // ruleid: android.storage.world-accessible-mode
        File dir = getDir("shared", mode);
        // ruleid: android.storage.world-accessible-mode
        SQLiteDatabase db = openOrCreateDatabase("app.db", Context.MODE_WORLD_READABLE, null);
        // ok: android.storage.world-accessible-mode
        FileOutputStream priv = openFileOutput("private.txt", Context.MODE_PRIVATE);
        priv.close();
        // ok: android.storage.world-accessible-mode
        SharedPreferences appendPrefs = getSharedPreferences("prefs2", Context.MODE_APPEND);
        // The caller (onCreate) passes MODE_WORLD_READABLE: followed across the call.
        // ruleid: android.storage.world-accessible-mode
        SharedPreferences passedMode = getSharedPreferences("prefs3", passed);
    }

    void external(String data) throws IOException {
        File sd = Environment.getExternalStorageDirectory();
        File target = new File(sd.getAbsolutePath() + "/.uinfo.txt");
        // ruleid: android.storage.external-storage-write
        FileWriter writer = new FileWriter(target);
        writer.write(data);
        writer.close();
        File pub = Environment.getExternalStoragePublicDirectory(Environment.DIRECTORY_DOWNLOADS);
        // ruleid: android.storage.external-storage-write
        FileOutputStream out = new FileOutputStream(new File(pub, "report.csv"));
        out.close();
        File own = getExternalFilesDir(null);
        File created = new File(own, "created.bin");
        // ruleid: android.storage.external-storage-write
        created.createNewFile();
        File readOnly = new File(Environment.getExternalStorageDirectory(), "config.json");
        // ok: android.storage.external-storage-write
        FileInputStream in = new FileInputStream(readOnly);
        in.close();
        // ok: android.storage.external-storage-write
        FileOutputStream internal = new FileOutputStream(new File(getFilesDir(), "internal.txt"));
        internal.close();
    }

    void temp(String data) throws IOException {
        // ruleid: android.storage.temp-file
        File kept = File.createTempFile("uinfo", "tmp", getFilesDir());
        FileWriter w = new FileWriter(kept);
        w.write(data);
        w.close();
        // ok: android.storage.temp-file
        File scratch = File.createTempFile("scratch", "tmp", getCacheDir());
        scratch.deleteOnExit();
    }

    // A helper that makes the file for its caller (as kotlin.io's createTempFile): the
    // caller owns it, so this method is not where it should be deleted.
    File newTemp(String prefix) throws IOException {
        // ok: android.storage.temp-file
        File made = File.createTempFile(prefix, "tmp", getCacheDir());
        return made;
    }
}
