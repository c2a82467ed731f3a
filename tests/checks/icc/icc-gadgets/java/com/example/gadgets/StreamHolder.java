package com.example.gadgets;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.Serializable;

/** Twin: finalize closes the stream the object opened itself. */
public class StreamHolder implements Serializable {
    private static final long serialVersionUID = 1L;
    private transient FileInputStream in;

    @Override
    protected void finalize() throws Throwable {
        if (in != null) {
            try {
                // ok: android.icc.deserialization-gadget
                in.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
        super.finalize();
    }
}
