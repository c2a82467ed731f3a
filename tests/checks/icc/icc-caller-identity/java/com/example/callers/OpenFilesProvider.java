package com.example.callers;

import android.net.Uri;
import android.os.ParcelFileDescriptor;
import java.io.File;
import java.io.FileNotFoundException;

/** An exported provider with no permission whose openFile hands out the app's files. */
public class OpenFilesProvider extends BaseProvider {
    public ParcelFileDescriptor openFile(Uri uri, String mode) throws FileNotFoundException {
        // ruleid: android.icc.provider-call-unchecked
        File file = new File(getContext().getFilesDir(), "report.pdf");
        return ParcelFileDescriptor.open(file, ParcelFileDescriptor.MODE_READ_ONLY);
    }
}
