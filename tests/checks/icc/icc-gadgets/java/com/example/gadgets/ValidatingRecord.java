package com.example.gadgets;

import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.Serializable;

/** Twin: readObject only reads its fields and validates them. */
public class ValidatingRecord implements Serializable {
    private static final long serialVersionUID = 1L;
    private int count;
    private String name;

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        if (count < 0 || name == null) {
            // ok: android.icc.deserialization-gadget
            throw new InvalidObjectException("bad record");
        }
    }
}
