package com.example.extinput;

import android.app.Activity;
import android.os.Bundle;
import android.os.Environment;
import android.util.Log;
import java.io.BufferedReader;
import java.io.File;
import java.io.FileInputStream;
import java.io.FileReader;
import java.io.IOException;
import java.util.Properties;

/** Files on external storage read as settings or as paths, and their twins. */
public class MainActivity extends Activity {
    @Override
    protected void onCreate(Bundle state) {
        super.onCreate(state);
        try {
            serverFromSharedStorage();
            cleanUpListedFiles();
            settingsFromPrivateStorage();
            countLinesOfSharedFile();
        } catch (IOException e) {
            Log.w("extinput", "io");
        }
    }

    /** Another app writes app/config.properties first and chooses the server. */
    String serverFromSharedStorage() throws IOException {
        File config = new File(Environment.getExternalStorageDirectory(), "app/config.properties");
        // ruleid: android.storage.external-file-as-input
        FileInputStream in = new FileInputStream(config);
        Properties settings = new Properties();
        settings.load(in);
        in.close();
        return settings.getProperty("server");
    }

    /** Each line names a file the app deletes: another app lists the app's own databases. */
    void cleanUpListedFiles() throws IOException {
        File list = new File(getExternalFilesDir(null), "pending-deletes.txt");
        // ruleid: android.storage.external-file-as-input
        BufferedReader reader = new BufferedReader(new FileReader(list));
        String line;
        while ((line = reader.readLine()) != null) {
            new File(line.trim()).delete();
        }
        reader.close();
    }

    /** The twin of the first: the same settings file in internal storage. */
    String settingsFromPrivateStorage() throws IOException {
        // ok: android.storage.external-file-as-input
        FileInputStream in = new FileInputStream(new File(getFilesDir(), "config.properties"));
        Properties settings = new Properties();
        settings.load(in);
        in.close();
        return settings.getProperty("server");
    }

    /** The twin of the second: a shared file read, its content only counted. */
    int countLinesOfSharedFile() throws IOException {
        File list = new File(getExternalFilesDir(null), "notes.txt");
        // ok: android.storage.external-file-as-input
        BufferedReader reader = new BufferedReader(new FileReader(list));
        int n = 0;
        while (reader.readLine() != null) {
            n++;
        }
        reader.close();
        return n;
    }
}
