package kotlin;

// `"a" to "b"` in Kotlin.
public final class TuplesKt {
    public static <A, B> Pair<A, B> to(A a, B b) {
        return new Pair<A, B>(a, b);
    }
}
