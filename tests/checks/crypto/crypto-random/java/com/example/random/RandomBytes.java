package com.example.random;

import java.util.Arrays;
import java.util.Random;

/** Random bytes made in a helper; whether they are a secret is decided where they are used. */
public class RandomBytes {
    static byte[] fillBlock() {
        byte[] b = new byte[16];
        // ruleid: android.crypto.insecure-random
        new Random().nextBytes(b);
        return b;
    }

    static byte[] shuffleBytes() {
        byte[] b = new byte[16];
        // ok: android.crypto.insecure-random
        new Random().nextBytes(b);
        return b;
    }

    static String sample() {
        return Arrays.toString(shuffleBytes());
    }
}
