package com.example.gadgets;

import java.io.Serializable;

/** Twin: the pointer field is transient: deserialisation leaves it 0, only native code the
 *  app calls sets it. */
public class TransientHandle implements Serializable {
    private static final long serialVersionUID = 1L;
    private transient long ptr;

    private static native void free(long p);

    @Override
    protected void finalize() throws Throwable {
        if (ptr != 0) {
            // ok: android.icc.deserialization-gadget
            free(ptr);
            ptr = 0;
        }
        super.finalize();
    }
}
