package com.example.creds;

import android.content.SharedPreferences;
import java.util.HashMap;
import java.util.Map;
import kotlin.TuplesKt;
import kotlin.collections.MapsKt;
import kotlin.jvm.internal.Intrinsics;
import kotlin.text.StringsKt;

// Login tables kept in maps filled by one method and read by another (InsecureShop's
// Util.getUserCreds / verifyUserNamePassword), and maps that are not login tables.
public final class Util {
    // A static table filled once, read only.
    static final Map<String, String> OPERATORS = new HashMap<>();

    static {
        OPERATORS.put("operator", "op3r4t0r#2019");
    }

    // A static table that also takes a run-time entry elsewhere (see remember()).
    static final Map<String, String> REMEMBERED = new HashMap<>();

    static {
        REMEMBERED.put("guest", "guestpass");
    }

    private final SharedPreferences prefs;

    Util(SharedPreferences prefs) {
        this.prefs = prefs;
    }

    private HashMap<String, String> getUserCreds() {
        HashMap<String, String> creds = new HashMap<>();
        creds.put("shopuser", "sh0pp4ss!");
        return creds;
    }

    // Kotlin: `getUserCreds()[username].equals(password, false)` after containsKey.
    public boolean verifyUserNamePassword(String username, String password) {
        if (!getUserCreds().containsKey(username)) {
            return false;
        }
        // ruleid: android.secrets.hardcoded-credential-check
        return StringsKt.equals$default(getUserCreds().get(username), password, false, 2, null);
    }

    // Kotlin: `OPERATORS[user] == pass` on a map kept in a static field.
    public boolean verifyOperator(String user, String pass) {
        // ruleid: android.secrets.hardcoded-credential-check
        return Intrinsics.areEqual(OPERATORS.get(user), pass);
    }

    Map<String, String> adminCreds() {
        // Kotlin: mapOf("admin" to "4dm1n-s3cret", "support" to "supp0rt-s3cret")
        return MapsKt.mapOf(
                TuplesKt.to("admin", "4dm1n-s3cret"), TuplesKt.to("support", "supp0rt-s3cret"));
    }

    // The map holds what the user saved, not a constant.
    private Map<String, String> savedCreds() {
        Map<String, String> saved = new HashMap<>();
        saved.put("user", prefs.getString("password", ""));
        return saved;
    }

    public boolean verifySaved(String user, String password) {
        // ok: android.secrets.hardcoded-credential-check
        return StringsKt.equals$default(savedCreds().get("user"), password, false, 2, null);
    }

    // A map handed to another method after its constant puts: that method may change it.
    private Map<String, String> mergedCreds() {
        Map<String, String> merged = new HashMap<>();
        merged.put("merged", "m3rg3d-pass");
        addSaved(merged);
        return merged;
    }

    private void addSaved(Map<String, String> into) {
        into.put("merged", prefs.getString("merged", ""));
    }

    public boolean verifyMerged(String user, String password) {
        // ok: android.secrets.hardcoded-credential-check
        return Intrinsics.areEqual(mergedCreds().get(user), password);
    }

    void remember(String user, String password) {
        REMEMBERED.put(user, password);
    }

    public boolean verifyRemembered(String user, String password) {
        // ok: android.secrets.hardcoded-credential-check
        return Intrinsics.areEqual(REMEMBERED.get(user), password);
    }

    // Constant UI labels, compared with a value the app chose itself.
    private Map<String, String> labels() {
        Map<String, String> labels = new HashMap<>();
        labels.put("title", "Welcome back");
        labels.put("button", "Sign in now");
        return labels;
    }

    public boolean isWelcome(String shownTitle) {
        // ok: android.secrets.hardcoded-credential-check
        return Intrinsics.areEqual(labels().get("title"), shownTitle);
    }

    // A table larger than the analysis keeps (32 entries): not read as constants (bounded).
    private Map<String, String> bigTable() {
        Map<String, String> big = new HashMap<>();
        big.put("user00", "password00");
        big.put("user01", "password01");
        big.put("user02", "password02");
        big.put("user03", "password03");
        big.put("user04", "password04");
        big.put("user05", "password05");
        big.put("user06", "password06");
        big.put("user07", "password07");
        big.put("user08", "password08");
        big.put("user09", "password09");
        big.put("user10", "password10");
        big.put("user11", "password11");
        big.put("user12", "password12");
        big.put("user13", "password13");
        big.put("user14", "password14");
        big.put("user15", "password15");
        big.put("user16", "password16");
        big.put("user17", "password17");
        big.put("user18", "password18");
        big.put("user19", "password19");
        big.put("user20", "password20");
        big.put("user21", "password21");
        big.put("user22", "password22");
        big.put("user23", "password23");
        big.put("user24", "password24");
        big.put("user25", "password25");
        big.put("user26", "password26");
        big.put("user27", "password27");
        big.put("user28", "password28");
        big.put("user29", "password29");
        big.put("user30", "password30");
        big.put("user31", "password31");
        big.put("user32", "password32");
        big.put("user33", "password33");
        big.put("user34", "password34");
        big.put("user35", "password35");
        big.put("user36", "password36");
        big.put("user37", "password37");
        big.put("user38", "password38");
        big.put("user39", "password39");
        return big;
    }

    public boolean verifyBig(String user, String password) {
        // ok: android.secrets.hardcoded-credential-check
        return Intrinsics.areEqual(bigTable().get(user), password);
    }

    // Java/Kotlin iteration over the table: every entry is a constant login.
    public boolean verifyAnyUser(String user, String password) {
        for (Map.Entry<String, String> e : getUserCreds().entrySet()) {
            // ruleid: android.secrets.hardcoded-credential-check
            boolean known = e.getKey().equals(user);
            // ruleid: android.secrets.hardcoded-credential-check
            if (known && e.getValue().equals(password)) {
                return true;
            }
        }
        return false;
    }

    // The keys of a table filled from SharedPreferences: not constants.
    public boolean isSavedUser(String user) {
        for (String saved : savedCreds().values()) {
            // ok: android.secrets.hardcoded-credential-check
            if (saved.equals(user)) {
                return true;
            }
        }
        return false;
    }

    // Constant labels iterated and compared with the app's own title.
    public boolean isLabel(String shownTitle) {
        for (String label : labels().values()) {
            // ok: android.secrets.hardcoded-credential-check
            if (label.equals(shownTitle)) {
                return true;
            }
        }
        return false;
    }
}
