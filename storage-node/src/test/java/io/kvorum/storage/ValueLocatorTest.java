package io.kvorum.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mapdb.BTreeMap;
import org.mapdb.DB;
import org.mapdb.DBMaker;
import org.mapdb.Serializer;

class ValueLocatorTest {
    @TempDir
    Path dir;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static BTreeMap<byte[], byte[]> map(DB db) {
        return db.treeMap("records", Serializer.BYTE_ARRAY, Serializer.BYTE_ARRAY)
                .valuesOutsideNodesEnable().counterEnable().createOrOpen();
    }

    @Test
    void aKeyIsWalkedToOnceThenFoundInTheCache() {
        try (DB db = DBMaker.memoryDB().make()) {
            BTreeMap<byte[], byte[]> map = map(db);
            for (int i = 0; i < 500; i++) {
                map.put(bytes("key-" + i), bytes("value-" + i));
            }
            ValueLocator values = new ValueLocator(map, 1 << 20);
            assertArrayEquals(bytes("value-7"), values.get(bytes("key-7")));
            assertEquals(0, values.hits());
            assertEquals(1, values.misses());
            assertArrayEquals(bytes("value-7"), values.get(bytes("key-7")));
            assertArrayEquals(bytes("value-7"), values.put(bytes("key-7"), bytes("seven")), "put returns what it replaced");
            assertArrayEquals(bytes("seven"), values.get(bytes("key-7")));
            assertEquals(3, values.hits());
            assertEquals(1, values.misses());
            assertArrayEquals(bytes("seven"), map.get(bytes("key-7")), "the map itself holds the new value");
            assertEquals(500, map.sizeLong(), "an update adds no key");
        }
    }

    @Test
    void anAbsentKeyIsWalkedToEveryTimeAndInsertedThroughTheMap() {
        try (DB db = DBMaker.memoryDB().make()) {
            BTreeMap<byte[], byte[]> map = map(db);
            ValueLocator values = new ValueLocator(map, 1 << 20);
            assertNull(values.get(bytes("nope")));
            assertNull(values.get(bytes("nope")));
            assertEquals(2, values.misses());
            assertEquals(0, values.size(), "absent keys are not remembered");
            assertNull(values.put(bytes("nope"), bytes("now")));
            assertEquals(1, map.sizeLong());
            assertArrayEquals(bytes("now"), values.get(bytes("nope")));
            assertEquals(1, values.size());
        }
    }

    @Test
    void aReadThenAWriteOfANewKeyWalksOnceBeforeTheInsert() {
        try (DB db = DBMaker.memoryDB().make()) {
            BTreeMap<byte[], byte[]> map = map(db);
            map.put(bytes("other"), bytes("x"));
            ValueLocator values = new ValueLocator(map, 1 << 20);
            assertNull(values.get(bytes("new")));
            values.putOnly(bytes("new"), bytes("v1"));
            assertEquals(1, values.misses(), "the write trusted the read's walk");
            assertArrayEquals(bytes("v1"), map.get(bytes("new")));

            assertNull(values.get(bytes("late")));
            map.put(bytes("late"), bytes("behind its back")); // the walk's answer is now stale
            assertArrayEquals(bytes("behind its back"), values.put(bytes("late"), bytes("v2")),
                    "a write that trusts a stale answer still goes through the map's put");
            assertArrayEquals(bytes("v2"), values.get(bytes("late")));
        }
    }

    @Test
    void itRemembersNoMoreThanItsBudgetAndForgetsTheOldestFirst() {
        try (DB db = DBMaker.memoryDB().make()) {
            BTreeMap<byte[], byte[]> map = map(db);
            for (int i = 0; i < 100; i++) {
                map.put(bytes("k" + (100 + i)), bytes("v" + i)); // keys of 4 bytes
            }
            long perKey = ValueLocator.ENTRY_OVERHEAD_BYTES + 4;
            ValueLocator values = new ValueLocator(map, perKey * 10);
            for (int i = 0; i < 100; i++) {
                assertArrayEquals(bytes("v" + i), values.get(bytes("k" + (100 + i))));
                assertTrue(values.bytes() <= perKey * 10, "within the budget: " + values.bytes());
            }
            assertEquals(10, values.size());
            values.get(bytes("k199"));
            assertEquals(1, values.hits(), "the newest is remembered");
            values.get(bytes("k100"));
            assertEquals(1, values.hits(), "the oldest was forgotten");
        }
    }

    @Test
    void aZeroBudgetGoesThroughTheMapAndCountsNothing() {
        try (DB db = DBMaker.memoryDB().make()) {
            BTreeMap<byte[], byte[]> map = map(db);
            ValueLocator values = new ValueLocator(map, 0);
            assertNull(values.put(bytes("a"), bytes("1")));
            assertArrayEquals(bytes("1"), values.put(bytes("a"), bytes("2")));
            assertArrayEquals(bytes("2"), values.get(bytes("a")));
            assertEquals(0, values.hits() + values.misses());
            assertEquals(0, values.size());
        }
    }

    @Test
    void onlyMapsWithByteArrayValuesOutsideTheNodesAreAccepted() {
        try (DB db = DBMaker.memoryDB().make()) {
            BTreeMap<byte[], byte[]> inline = db.treeMap("inline", Serializer.BYTE_ARRAY, Serializer.BYTE_ARRAY)
                    .createOrOpen();
            assertThrows(IllegalArgumentException.class, () -> new ValueLocator(inline, 1024));
            assertThrows(IllegalArgumentException.class, () -> new ValueLocator(map(db), -1));
        }
    }

    /** Updates written through a remembered recid are in the store file after a commit and a reopen. */
    @Test
    void updatesInPlaceSurviveAReopenOfTheStore() {
        try (MapDbStore store = MapDbStore.open(dir)) {
            ValueLocator values = new ValueLocator(store.records, 1 << 20);
            for (int i = 0; i < 3000; i++) {
                values.put(bytes("key-" + i), bytes("first-" + i));
            }
            store.commit();
            assertEquals(3000, values.misses(), "new keys are inserted through the map");
            for (int i = 0; i < 3000; i++) {
                values.get(bytes("key-" + i)); // walks to the key, and remembers it
                values.put(bytes("key-" + i), bytes("second-" + i + "-".repeat(i % 2000))); // some grow: the record moves
            }
            assertEquals(3000, values.hits(), "every update found its key in the cache");
            assertEquals(6000, values.misses());
            store.commit();
        }
        try (MapDbStore store = MapDbStore.open(dir)) {
            assertEquals(3000, store.records.sizeLong());
            for (int i = 0; i < 3000; i++) {
                assertArrayEquals(bytes("second-" + i + "-".repeat(i % 2000)), store.records.get(bytes("key-" + i)),
                        "key-" + i);
            }
        }
    }

    /** put k v (through the locator, with or without the old value, or straight into the map); get k; forget k; clear. */
    record Op(int kind, int key, int valueLength) {
    }

    @Provide
    Arbitrary<List<Op>> operations() {
        return Combinators.combine(Arbitraries.integers().between(0, 9), Arbitraries.integers().between(0, 11),
                        Arbitraries.integers().between(0, 3000))
                .as(Op::new).list().ofMaxSize(60);
    }

    private static byte[] key(int k) {
        return bytes("k".repeat(1 + k % 4) + k); // lengths differ, so budgets cut at different counts
    }

    @Property(tries = 200)
    void answersWhatAHashMapWouldWhateverItRemembers(@ForAll("operations") List<Op> ops,
                                                     @ForAll @LongRange(min = 0, max = 800) long budget) {
        try (DB db = DBMaker.memoryDB().make()) {
            BTreeMap<byte[], byte[]> map = map(db);
            ValueLocator values = new ValueLocator(map, budget);
            Map<Integer, byte[]> model = new HashMap<>();
            int serial = 0;
            for (Op op : ops) {
                byte[] k = key(op.key());
                if (op.kind() < 4) {
                    byte[] v = new byte[op.valueLength()];
                    Arrays.fill(v, (byte) serial++);
                    if (op.kind() == 3) {
                        values.putOnly(k, v);
                    } else {
                        assertArrayEquals(model.get(op.key()), values.put(k, v));
                    }
                    model.put(op.key(), v);
                } else if (op.kind() == 4) {
                    byte[] v = bytes("direct-" + serial++);
                    map.put(k, v); // a put of an existing key keeps its record's recid
                    model.put(op.key(), v);
                } else if (op.kind() < 8) {
                    assertArrayEquals(model.get(op.key()), values.get(k));
                } else if (op.kind() == 8) {
                    values.forget(k);
                } else {
                    values.clear();
                }
                assertTrue(values.bytes() <= budget, values.bytes() + " > " + budget);
            }
            for (int k = 0; k < 12; k++) {
                assertArrayEquals(model.get(k), map.get(key(k)), "the map holds what the locator wrote");
                assertArrayEquals(model.get(k), values.get(key(k)));
            }
            assertEquals(model.size(), map.sizeLong());
        }
    }
}
