package com.example.random;

import java.util.Random;

/** Twin: java.util.Random for a cosmetic choice in a class with no security work. */
public class Colors {
    private static final int[] PALETTE = {0xff0000, 0x00ff00, 0x0000ff};

    public int pick() {
        // ok: android.crypto.insecure-random
        Random random = new Random();
        return PALETTE[random.nextInt(PALETTE.length)];
    }

    public float jitter() {
        // ok: android.crypto.insecure-random
        return (float) Math.random();
    }
}
