package com.example.theft;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Copies a stream: what is copied and where decides whether it is a theft. */
final class Copier {
    private Copier() {}

    static void copy(InputStream in, OutputStream out) throws IOException {
        byte[] buffer = new byte[8192];
        int n;
        while ((n = in.read(buffer)) != -1) {
            out.write(buffer, 0, n);
        }
        in.close();
        out.close();
    }
}
