package com.example.values;

import javax.crypto.spec.SecretKeySpec;

/** Keys handed over through an interface or a superclass reference reach the implementation. */
public class Dispatch {
    interface KeySink {
        SecretKeySpec accept(byte[] key);
    }

    static class AesSink implements KeySink {
        @Override
        public SecretKeySpec accept(byte[] key) {
            // ruleid: android.crypto.hardcoded-key
            return new SecretKeySpec(key, "AES");
        }
    }

    abstract static class Wrapper {
        abstract SecretKeySpec wrap(byte[] key);
    }

    static class AesWrapper extends Wrapper {
        @Override
        SecretKeySpec wrap(byte[] key) {
            // ruleid: android.crypto.hardcoded-key
            return new SecretKeySpec(key, "AES");
        }
    }

    // The same interface, another implementation: only the run-time key is handed to it
    // (the receiver of each call says which implementation runs).
    static class RuntimeAes implements KeySink {
        @Override
        public SecretKeySpec accept(byte[] key) {
            // ok: android.crypto.hardcoded-key
            return new SecretKeySpec(key, "AES");
        }
    }

    static void use(byte[] fromServer) {
        KeySink sink = new AesSink();
        sink.accept("interface-key-01234".getBytes());
        Wrapper wrapper = new AesWrapper();
        wrapper.wrap("superclass-key-0123".getBytes());
        KeySink runtime = new RuntimeAes();
        runtime.accept(fromServer);
    }
}
