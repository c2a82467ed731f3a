package com.example.gadgets;

import java.io.Serializable;

/** finalize frees a native pointer held in a field the stream restores. */
public class NativeHandle implements Serializable {
    private static final long serialVersionUID = 1L;
    private long ptr;

    private static native void free(long p);

    @Override
    protected void finalize() throws Throwable {
        if (ptr != 0) {
            // ruleid: android.icc.deserialization-gadget
            free(ptr);
            ptr = 0;
        }
        super.finalize();
    }
}
