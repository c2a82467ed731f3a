package com.example.secrets;

import android.app.Activity;
import android.content.Intent;
import android.os.Bundle;
import android.widget.EditText;

public class MainActivity extends Activity {
    private String apiSecret;
    private String displayName;

    @Override
    protected void onCreate(Bundle savedInstanceState) {
        super.onCreate(savedInstanceState);
    }

    String awsKey() {
        // ruleid: android.secrets.hardcoded-secret
        return "AKIAIOSFODNN7EXAMPLQ";
    }

    String notAwsKey() {
        // ok: android.secrets.hardcoded-secret
        return "AKIA-not-a-key";
    }

    String googleKey() {
        // ruleid: android.secrets.hardcoded-secret
        return "AIzaSyD3x4mPl3K3yV4lu3F0rT3st1ngPurp0s3";
    }

    String privateKey() {
        // ruleid: android.secrets.hardcoded-secret
        return "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo\n-----END RSA PRIVATE KEY-----";
    }

    String publicKey() {
        // ok: android.secrets.hardcoded-secret
        return "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAu1SU1LfVLPHCozMxH2Mo\n-----END PUBLIC KEY-----";
    }

    String loginUrl() {
        // ruleid: android.secrets.hardcoded-secret
        return "https://admin:Sup3rS3cret@api.example.com/login";
    }

    String plainUrl() {
        // ok: android.secrets.hardcoded-secret
        return "https://api.example.com/login?user=alice";
    }

    void keys() {
        // ruleid: android.secrets.high-entropy-key
        apiSecret = "q8Zr3Kf7Xw2Lp9Vb4Nt6Hy1M";
        // ok: android.secrets.high-entropy-key
        displayName = "x7Gk2Pq9Lm4Rt8Vw3Zs6Jb1N";
    }

    void header(java.util.Map<String, String> headers) {
        // ruleid: android.secrets.high-entropy-key
        headers.put("X-Api-Key", "Zx9Qw8Er7Ty6Ui5Op4As3Df2");
        // ok: android.secrets.high-entropy-key
        headers.put("X-Request-Id", "Lk9Jh8Gf7Ds6Ap5Oi4Uy3Tr2");
    }

    void reportError(String messageKey, Object... args) {
        android.util.Log.w("parser", messageKey);
    }

    void addToken(int token) {
        // An error-message key spelled in words with an acronym (Xerces' XPointer scanner):
        // ok: android.secrets.high-entropy-key
        reportError("InvalidXPointerToken", token);
    }

    boolean unlock(EditText pin) {
        // ruleid: android.secrets.hardcoded-credential-check
        return pin.getText().toString().equals("vendorsecretkey");
    }

    boolean isHelp(EditText command) {
        // ok: android.secrets.hardcoded-credential-check
        return command.getText().toString().equals(getString(42));
    }

    boolean isEmailLinkSignIn(Intent intent) {
        // An operation name compared with an extra named like auth (Firebase's sign-in
        // activity): an identifier, not a credential.
        // ok: android.secrets.hardcoded-credential-check
        return "com.example.auth.SIGN_IN_WITH_EMAIL_LINK".equals(intent.getStringExtra("com.example.auth.OPERATION"));
    }

    boolean backdoor(Intent intent) {
        // ruleid: android.secrets.hardcoded-credential-check
        return "devadmin".equals(intent.getStringExtra("user"));
    }

    // What the login screen kept (InsecureBankv2's DoLogin.username), tested later.
    String username;
    String mode;

    String loginPath() {
        // ruleid: android.secrets.hardcoded-credential-check
        if (username.equals("devadmin")) {
            return "/devlogin";
        }
        // ok: android.secrets.hardcoded-credential-check
        if (mode.equals("offline")) {
            return "/cached";
        }
        return "/login";
    }
}
