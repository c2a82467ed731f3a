package com.example.icc;

import android.content.BroadcastReceiver;
import android.content.Context;
import android.content.Intent;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectStreamClass;
import java.io.Serializable;

/** Ordered-broadcast result data and deserialisation of received bytes. */
public class Receivers extends BroadcastReceiver {
    @Override
    public void onReceive(Context context, Intent intent) {
        // ruleid: android.icc.ordered-broadcast-result
        String data = getResultData();
        // ok: android.icc.ordered-broadcast-result
        setResultData("handled");
        // ruleid: android.icc.object-deserialization
        Serializable s = intent.getSerializableExtra("payload");
        // ok: android.icc.object-deserialization
        String name = intent.getStringExtra("name");
    }

    Object load(byte[] bytes) throws Exception {
        ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes));
        // ruleid: android.icc.object-deserialization
        return in.readObject();
    }

    // Bytes the app itself wrote into its private storage: nobody else controls them.
    Object loadOwnCache(Context context) throws Exception {
        ObjectInputStream in = new ObjectInputStream(context.openFileInput("cache.bin"));
        // ok: android.icc.object-deserialization
        return in.readObject();
    }

    Object loadOwnFile(Context context) throws Exception {
        java.io.File file = new java.io.File(context.getFilesDir(), "state.bin");
        ObjectInputStream in = new ObjectInputStream(
                new java.io.BufferedInputStream(new java.io.FileInputStream(file)));
        // ok: android.icc.object-deserialization
        return in.readObject();
    }

    // Its twin on shared storage: any app with storage access can replace the file.
    Object loadSharedFile() throws Exception {
        java.io.File file = new java.io.File(
                android.os.Environment.getExternalStorageDirectory(), "state.bin");
        ObjectInputStream in = new ObjectInputStream(new java.io.FileInputStream(file));
        // ruleid: android.icc.object-deserialization
        return in.readObject();
    }

    Object loadSafe(byte[] bytes) throws Exception {
        AllowListStream in = new AllowListStream(new ByteArrayInputStream(bytes));
        // ok: android.icc.object-deserialization
        return in.readObject();
    }

    // A class's own deserialisation hook (as ICU's DecimalFormat.readObject): it reads its
    // own fields from the stream it is handed, which is not where untrusted data comes in.
    static class Settings implements Serializable {
        private transient Object cached;

        private void readObject(ObjectInputStream in) throws java.io.IOException, ClassNotFoundException {
            in.defaultReadObject();
            // ok: android.icc.object-deserialization
            cached = in.readObject();
        }
    }

    static class AllowListStream extends ObjectInputStream {
        AllowListStream(InputStream in) throws java.io.IOException {
            super(in);
        }

        @Override
        protected Class<?> resolveClass(ObjectStreamClass desc) throws java.io.IOException, ClassNotFoundException {
            if (!desc.getName().equals("java.lang.String")) {
                throw new ClassNotFoundException(desc.getName());
            }
            return super.resolveClass(desc);
        }
    }
}
