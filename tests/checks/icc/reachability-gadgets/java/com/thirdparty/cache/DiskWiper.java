package com.thirdparty.cache;

import java.io.File;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;

/** A library's class the app never uses: not the app's gadget (docs/deserialization.md). */
public class DiskWiper implements Serializable {
    private static final long serialVersionUID = 1L;

    private void readObject(ObjectInputStream in) throws IOException {
        // ok: android.icc.deserialization-gadget
        new File(in.readUTF()).delete();
    }
}
