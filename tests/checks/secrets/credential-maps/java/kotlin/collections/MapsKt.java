package kotlin.collections;

import java.util.LinkedHashMap;
import java.util.Map;
import kotlin.Pair;

// Kotlin's mapOf(vararg pairs): the call takes an array of Pairs, as kotlinc emits it.
public final class MapsKt {
    @SafeVarargs
    public static <K, V> Map<K, V> mapOf(Pair<? extends K, ? extends V>... pairs) {
        Map<K, V> out = new LinkedHashMap<K, V>();
        for (Pair<? extends K, ? extends V> p : pairs) {
            out.put(p.first, p.second);
        }
        return out;
    }
}
