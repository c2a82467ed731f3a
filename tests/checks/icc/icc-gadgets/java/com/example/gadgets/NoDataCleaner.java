package com.example.gadgets;

import java.io.File;
import java.io.Serializable;

/** Twin: readObjectNoData runs when the stream has no data for this class, so its fields
 *  hold their defaults, never the sender's values. */
public class NoDataCleaner implements Serializable {
    private static final long serialVersionUID = 1L;
    private String dir = "/data/data/com.example.gadgets/cache";

    private void readObjectNoData() {
        // ok: android.icc.deserialization-gadget
        new File(dir).delete();
    }
}
