package com.example.lazygadget;

import java.io.File;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;

/** Never used by the app; from API 33 a string extra does not build the other objects. */
public class Wiper implements Serializable {
    private static final long serialVersionUID = 1L;

    private void readObject(ObjectInputStream in) throws IOException {
        // ok: android.icc.deserialization-gadget
        new File(in.readUTF()).delete();
    }
}
