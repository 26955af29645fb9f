package io.kvorum.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;
import org.junit.jupiter.api.Test;

/** {@link LongMap} against {@code HashMap<Long, String>} as the model. */
class LongMapProperties {

    /** kind, key; kinds: 0 put, 1 remove of the current value, 2 remove of another value, 3 removeIf key >= , 4 clear, 5 copy. */
    @Provide
    Arbitrary<List<Tuple2<Integer, Long>>> operations() {
        Arbitrary<Integer> kinds = Arbitraries.frequency(
                Tuple.of(12, 0), Tuple.of(6, 1), Tuple.of(2, 2), Tuple.of(1, 3), Tuple.of(1, 4), Tuple.of(1, 5));
        // few distinct keys (collisions, replacements, removals inside probe runs) and any keys
        Arbitrary<Long> keys = Arbitraries.oneOf(
                Arbitraries.longs().between(0, 40),
                Arbitraries.longs().between(0, 5000).map(k -> k * 64),
                Arbitraries.longs().between(0, Long.MAX_VALUE));
        return Combinators.combine(kinds, keys).as(Tuple::of).list().ofMaxSize(400);
    }

    @Property(tries = 300)
    void behavesAsAHashMap(@ForAll("operations") List<Tuple2<Integer, Long>> ops) {
        LongMap<String> map = new LongMap<>();
        Map<Long, String> model = new HashMap<>();
        int n = 0;
        for (Tuple2<Integer, Long> op : ops) {
            long key = op.get2();
            switch (op.get1()) {
                case 0 -> {
                    String value = "v" + n++;
                    assertEquals(model.put(key, value), map.put(key, value));
                }
                case 1 -> {
                    String current = model.get(key);
                    assertEquals(current != null, map.remove(key, current));
                    model.remove(key);
                }
                case 2 -> assertEquals(false, map.remove(key, "not a value in the map"));
                case 3 -> {
                    model.keySet().removeIf(k -> k >= key);
                    map.removeIf(k -> k >= key);
                }
                case 4 -> {
                    model.clear();
                    map.clear();
                }
                default -> {
                    LongMap<String> copy = new LongMap<>(map);
                    copy.put(key, "only in the copy");
                    assertEquals(model.get(key), map.get(key), "a copy is independent");
                    map = copy;
                    model.put(key, "only in the copy");
                }
            }
            assertEquals(model.size(), map.size());
            assertEquals(model.get(key), map.get(key));
        }
        Map<Long, String> seen = new HashMap<>();
        map.forEach((k, v) -> assertNull(seen.put(k, v), "each key once"));
        assertEquals(model, seen);
        for (long k : model.keySet()) {
            assertEquals(model.get(k), map.get(k));
        }
        assertArrayEquals(model.keySet().stream().mapToLong(Long::longValue).sorted().toArray(), map.sortedKeys());
        assertEquals(model.isEmpty(), map.isEmpty());
    }

    @Test
    void negativeKeysAndNullValuesAreRefused() {
        LongMap<String> map = new LongMap<>();
        assertThrows(IllegalArgumentException.class, () -> map.put(-1, "x"));
        assertThrows(IllegalArgumentException.class, () -> map.put(1, null));
        assertNull(map.get(-1));
        assertEquals(false, map.remove(-1, null));
    }
}
