package com.example.codechecks;

import android.app.Activity;
import android.content.Context;
import android.os.Bundle;
import android.os.Environment;
import dalvik.system.DexClassLoader;
import dalvik.system.InMemoryDexClassLoader;
import dalvik.system.PathClassLoader;
import java.io.File;
import java.nio.ByteBuffer;

public class MainActivity extends Activity {
    @Override
    protected void onCreate(Bundle savedInstanceState) {
        super.onCreate(savedInstanceState);
    }

    ClassLoader fromSdcard() {
        File dex = new File(Environment.getExternalStorageDirectory(), "plugin.dex");
        // ruleid: android.code.dynamic-code-loading
        return new DexClassLoader(dex.getAbsolutePath(), getCacheDir().getAbsolutePath(), null, getClassLoader());
    }

    ClassLoader fromExternalFilesDir() {
        String path = getExternalFilesDir(null) + "/update.jar";
        // ruleid: android.code.dynamic-code-loading
        return new PathClassLoader(path, getClassLoader());
    }

    ClassLoader fromPrivateDir() {
        File dex = new File(getDir("dex", Context.MODE_PRIVATE), "bundled.dex");
        // ruleid: android.code.dynamic-code-loading
        return new DexClassLoader(dex.getPath(), getCacheDir().getPath(), null, getClassLoader());
    }

    ClassLoader fromMemory(byte[] bytes) {
        // ruleid: android.code.dynamic-code-loading
        return new InMemoryDexClassLoader(ByteBuffer.wrap(bytes), getClassLoader());
    }

    Class<?> ownClass() throws ClassNotFoundException {
        // ok: android.code.dynamic-code-loading
        return getClassLoader().loadClass("com.example.codechecks.MainActivity");
    }

    Object plugin(String packageName) throws Exception {
        // ruleid: android.code.package-context-code-loading
        Context other = createPackageContext(packageName, Context.CONTEXT_INCLUDE_CODE | Context.CONTEXT_IGNORE_SECURITY);
        return other.getClassLoader().loadClass("com.plugin.Entry").newInstance();
    }

    Object pluginResources(String packageName) throws Exception {
        // ok: android.code.package-context-code-loading
        Context other = createPackageContext(packageName, 0);
        return other.getResources();
    }
}
