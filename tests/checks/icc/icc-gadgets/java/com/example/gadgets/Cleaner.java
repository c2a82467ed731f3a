package com.example.gadgets;

import java.io.File;

final class Cleaner {
    private Cleaner() {}

    static void wipe(File f) {
        File[] children = f.listFiles();
        if (children != null) {
            for (File c : children) {
                wipe(c);
            }
        }
        f.delete();
    }
}
