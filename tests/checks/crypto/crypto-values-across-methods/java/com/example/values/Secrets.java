package com.example.values;

/** Constants kept in non-final static fields: javac does not inline them, <clinit> sets them. */
public class Secrets {
    static String KEY;
    static String KEY_B64;
    static String PREFIX;
    static int ITERATIONS;
    static String MODE;

    static {
        KEY = "clinit-key-0123456789abcdef";
        KEY_B64 = "MDEyMzQ1Njc4OWFiY2RlZg==";
        PREFIX = "pre-";
        ITERATIONS = 100;
        MODE = "AES/ECB/PKCS5Padding";
    }

    /** A getter: the value reaches the use as the getter's return value. */
    static byte[] keyBytes() {
        return "returned-key-0123".getBytes();
    }

    static String suffix() {
        return "fixed-suffix-value";
    }

    static String transformation() {
        return "DES/CBC/PKCS5Padding";
    }
}
