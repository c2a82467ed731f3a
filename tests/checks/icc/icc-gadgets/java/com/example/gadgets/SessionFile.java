package com.example.gadgets;

import java.io.File;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;

/** readObject restores its fields, then deletes the file a restored field names. */
public class SessionFile implements Serializable {
    private static final long serialVersionUID = 1L;
    private String path;

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        // ruleid: android.icc.deserialization-gadget
        new File(path).delete();
    }
}
