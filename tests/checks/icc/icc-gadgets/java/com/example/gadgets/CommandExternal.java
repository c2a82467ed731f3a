package com.example.gadgets;

import java.io.Externalizable;
import java.io.IOException;
import java.io.ObjectInput;
import java.io.ObjectOutput;

/** readExternal runs a command read from the stream. */
public class CommandExternal implements Externalizable {
    private static final long serialVersionUID = 1L;

    public CommandExternal() {}

    @Override
    public void writeExternal(ObjectOutput out) throws IOException {
        out.writeUTF("true");
    }

    @Override
    public void readExternal(ObjectInput in) throws IOException {
        String cmd = in.readUTF();
        // ruleid: android.icc.deserialization-gadget
        Runtime.getRuntime().exec(cmd);
    }
}
