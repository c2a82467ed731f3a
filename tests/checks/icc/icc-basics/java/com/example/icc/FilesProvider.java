package com.example.icc;

import android.content.ContentProvider;
import android.net.Uri;
import android.os.ParcelFileDescriptor;
import java.io.File;
import java.io.FileNotFoundException;
import java.io.IOException;

/** openFile with the decoded last path segment (path traversal) versus a canonical check. */
public abstract class FilesProvider extends ContentProvider {
    @Override
    public ParcelFileDescriptor openFile(Uri uri, String mode) throws FileNotFoundException {
        // An IPC entry point of an exported provider: passes for callers without it.
        // ruleid: android.icc.calling-or-self-permission
        getContext().checkCallingOrSelfPermission("android.permission.READ_CONTACTS");
        // ruleid: android.icc.provider-path-traversal
        File file = new File("/data/data/com.example.icc/files", uri.getLastPathSegment());
        return ParcelFileDescriptor.open(file, ParcelFileDescriptor.MODE_READ_ONLY);
    }
}
