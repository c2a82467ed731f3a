package com.example.reachgadget;

import java.io.File;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;

/** Never used by the app: only another app's extras can make it. */
public class Wiper implements Serializable {
    private static final long serialVersionUID = 1L;

    private void readObject(ObjectInputStream in) throws IOException {
        // ruleid: android.icc.deserialization-gadget
        new File(in.readUTF()).delete();
    }
}
