package com.example.pbe;

import java.security.SecureRandom;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.PBEParameterSpec;

/** Password-based key derivation: salt and iteration count as they reach the spec. */
public class Pbe {
    private static final int FEW_ROUNDS = 1000;

    public PBEKeySpec fewIterations(char[] password, byte[] salt) {
        // ruleid: android.crypto.pbe-low-iterations
        return new PBEKeySpec(password, salt, FEW_ROUNDS, 256);
    }

    public PBEKeySpec enoughIterations(char[] password, byte[] salt) {
        // ok: android.crypto.pbe-low-iterations, android.crypto.pbe-constant-salt
        return new PBEKeySpec(password, salt, 120000, 256);
    }

    public PBEKeySpec configuredIterations(char[] password, byte[] salt, int rounds) {
        // ok: android.crypto.pbe-low-iterations
        return new PBEKeySpec(password, salt, rounds, 256);
    }

    public PBEKeySpec constantSalt(char[] password) throws Exception {
        // ruleid: android.crypto.pbe-constant-salt
        return new PBEKeySpec(password, "NaCl-salt".getBytes("UTF-8"), 150000, 256);
    }

    public PBEKeySpec randomSalt(char[] password) {
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        // ok: android.crypto.pbe-constant-salt, android.crypto.pbe-low-iterations
        return new PBEKeySpec(password, salt, 150000, 256);
    }

    public PBEKeySpec passwordOnly(char[] password) {
        // ok: android.crypto.pbe-constant-salt, android.crypto.pbe-low-iterations
        return new PBEKeySpec(password);
    }

    public PBEParameterSpec legacyParameters() {
        byte[] salt = {1, 2, 3, 4, 5, 6, 7, 8};
        // ruleid: android.crypto.pbe-constant-salt, android.crypto.pbe-low-iterations
        return new PBEParameterSpec(salt, 20);
    }

    public PBEParameterSpec legacyParametersRandomSalt(SecureRandom random) {
        byte[] salt = new byte[8];
        random.nextBytes(salt);
        // ok: android.crypto.pbe-constant-salt, android.crypto.pbe-low-iterations
        return new PBEParameterSpec(salt, 65536);
    }
}
