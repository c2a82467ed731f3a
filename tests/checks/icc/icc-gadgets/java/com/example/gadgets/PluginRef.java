package com.example.gadgets;

import java.io.Serializable;

/** readResolve instantiates the class a restored field names. */
public class PluginRef implements Serializable {
    private static final long serialVersionUID = 1L;
    private String className;

    private Object readResolve() throws Exception {
        // ruleid: android.icc.deserialization-gadget
        return Class.forName(className).newInstance();
    }
}
