package com.example.gadgets;

import java.io.File;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;

/** Twin: readObject deletes a fixed file; nothing from the stream chooses it. */
public class FixedCacheCleaner implements Serializable {
    private static final long serialVersionUID = 1L;

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        // ok: android.icc.deserialization-gadget
        new File("/data/data/com.example.gadgets/cache/stale.tmp").delete();
    }
}
