package io.kvorum.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mapdb.BTreeMap;
import org.mapdb.CC;
import org.mapdb.DB;
import org.mapdb.Serializer;
import org.mapdb.StoreWAL;

class MapDbStoreTest {
    @TempDir
    Path dir;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Data directories written before the store became a plain StoreDirect were written through
     * MapDB's StoreWAL (same journal, same volume): they open, with every record and the catalog.
     */
    @Test
    void aStoreWrittenThroughMapDbsTransactionalStoreOpensWithEverything() throws Exception {
        Path storeFile = dir.resolve(MapDbStore.STORE_FILE);
        try (StoreJournal journal = StoreJournal.open(dir.resolve(MapDbStore.JOURNAL_FILE))) {
            JournaledVolumeFactory volumes = new JournaledVolumeFactory(storeFile.toString(), journal,
                    JournaledVolume.DEFAULT_CHECKPOINT_BYTES, StoreIo.MMAP);
            StoreWAL store = StoreWAL.make(storeFile.toString(), volumes, 0L, true, CC.STORE_DIRECT_CONC_SHIFT,
                    CC.PAGE_SIZE, 0L, false, false, false, true, false);
            DB db = new DB(store, false, true, Thread.currentThread().getContextClassLoader(), 0);
            BTreeMap<byte[], byte[]> records = db.treeMap("records", Serializer.BYTE_ARRAY, Serializer.BYTE_ARRAY)
                    .valuesOutsideNodesEnable().counterEnable().createOrOpen();
            db.treeMap("meta", Serializer.STRING, Serializer.BYTE_ARRAY).createOrOpen();
            for (int i = 0; i < 2000; i++) {
                records.put(bytes("key-" + i), bytes("value-" + i + "-".repeat(i % 700)));
                if (i % 100 == 99) {
                    db.commit();
                }
            }
            db.commit();
            db.close();
        }

        try (MapDbStore store = MapDbStore.open(dir)) {
            assertEquals(2000, store.records.size());
            for (int i = 0; i < 2000; i++) {
                assertArrayEquals(bytes("value-" + i + "-".repeat(i % 700)), store.records.get(bytes("key-" + i)), "key-" + i);
            }
            store.records.put(bytes("key-new"), bytes("new"));
            store.commit();
        }
        try (MapDbStore store = MapDbStore.open(dir)) {
            assertEquals(2001, store.records.size());
            assertArrayEquals(bytes("new"), store.records.get(bytes("key-new")));
        }
        assertTrue(MapDbStore.hasHeaderChecksum(storeFile), "an old store keeps the header checksum MapDB requires of it");
    }

    /**
     * A new store is created without MapDB's header checksum (recomputed over 32 KiB at every
     * commit; the journal already protects the header), and opens again with every record,
     * also after commits that moved the header.
     */
    @Test
    void aNewStoreHasNoHeaderChecksumAndReopens() throws Exception {
        Path storeFile = dir.resolve(MapDbStore.STORE_FILE);
        try (MapDbStore store = MapDbStore.open(dir)) {
            for (int i = 0; i < 3000; i++) {
                store.records.put(bytes("key-" + i), bytes("value-" + i + "-".repeat(i % 900)));
                if (i % 50 == 49) {
                    store.commit();
                }
            }
            store.commit();
        }
        assertFalse(MapDbStore.hasHeaderChecksum(storeFile));
        try (MapDbStore store = MapDbStore.open(dir)) {
            assertEquals(3000, store.records.size());
            for (int i = 0; i < 3000; i += 7) {
                assertArrayEquals(bytes("value-" + i + "-".repeat(i % 900)), store.records.get(bytes("key-" + i)), "key-" + i);
            }
        }
    }
}
