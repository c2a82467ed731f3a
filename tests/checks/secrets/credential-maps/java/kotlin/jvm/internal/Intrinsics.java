package kotlin.jvm.internal;

// Kotlin's `a == b` compiles to Intrinsics.areEqual (the library's shape, in Java).
public final class Intrinsics {
    public static boolean areEqual(Object a, Object b) {
        return a == null ? b == null : a.equals(b);
    }
}
