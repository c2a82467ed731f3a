package com.example.gadgets;

import java.io.File;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;

/** readObject deletes a path read from the stream, through a helper. */
public class DeleteOnRead implements Serializable {
    private static final long serialVersionUID = 1L;

    private void readObject(ObjectInputStream in) throws IOException {
        File target = new File(in.readUTF());
        // ruleid: android.icc.deserialization-gadget
        Cleaner.wipe(target);
    }
}
