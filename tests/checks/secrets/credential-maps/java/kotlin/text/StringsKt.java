package kotlin.text;

// The Kotlin standard library's call shape, written in Java: the fixture toolchain has no
// Kotlin compiler. `a.equals(b, ignoreCase = false)` compiles to equals$default.
public final class StringsKt {
    public static boolean equals(String a, String b, boolean ignoreCase) {
        if (a == null) {
            return b == null;
        }
        return ignoreCase ? a.equalsIgnoreCase(b) : a.equals(b);
    }

    public static boolean equals$default(String a, String b, boolean ignoreCase, int mask, Object marker) {
        if ((mask & 2) != 0) {
            ignoreCase = false;
        }
        return equals(a, b, ignoreCase);
    }
}
