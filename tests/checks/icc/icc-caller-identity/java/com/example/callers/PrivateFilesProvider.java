package com.example.callers;

import android.net.Uri;
import android.os.ParcelFileDescriptor;
import java.io.File;
import java.io.FileNotFoundException;

/** The twin of OpenFilesProvider: not exported, only the app itself can open its files. */
public class PrivateFilesProvider extends BaseProvider {
    public ParcelFileDescriptor openFile(Uri uri, String mode) throws FileNotFoundException {
        // ok: android.icc.provider-call-unchecked
        File file = new File(getContext().getFilesDir(), "report.pdf");
        return ParcelFileDescriptor.open(file, ParcelFileDescriptor.MODE_READ_ONLY);
    }
}
