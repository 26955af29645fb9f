package io.kvorum.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mapdb.volume.FileChannelVol;

class JournaledVolumeTest {
    @TempDir
    Path dir;

    /** A volume that checkpoints on every commit: the store file is up to date after each sync. */
    private JournaledVolume open() throws IOException {
        return open(0);
    }

    private JournaledVolume open(long checkpointBytes) throws IOException {
        FileChannelVol base = new FileChannelVol(dir.resolve("store").toFile(), false, 0L, 20, 0L);
        return new JournaledVolume(base, StoreJournal.open(dir.resolve("journal")), checkpointBytes);
    }

    private byte[] storeFile() throws IOException {
        return Files.readAllBytes(dir.resolve("store"));
    }

    /** What a crash leaves: the files as they are, recovered as the next open would. */
    private void recoverAfterCrash() throws IOException {
        try (StoreJournal journal = StoreJournal.open(dir.resolve("journal"))) {
            journal.recoverInto(dir.resolve("store"));
        }
    }

    @Test
    void aCommitIsDurableInTheJournalAloneAndReachesTheStoreFileAtTheCheckpoint() throws IOException {
        JournaledVolume volume = open(Long.MAX_VALUE);
        volume.ensureAvailable(2 * JournaledVolume.PAGE_SIZE);
        volume.putLong(8, 11);
        volume.sync();
        volume.putLong(8, 22);
        volume.putLong(JournaledVolume.PAGE_SIZE + 8, 33);
        volume.sync();
        assertEquals(2, volume.journaledSyncs());
        assertEquals(0, volume.checkpoints(), "no checkpoint before the journal is full");
        assertEquals(0, storeFile()[15], "the store file is not written at commit");
        assertEquals(22, volume.getLong(8), "committed pages are read from memory");
        assertEquals(33, volume.getLong(JournaledVolume.PAGE_SIZE + 8));
        volume.putLong(8, 44); // not committed
        assertEquals(44, volume.getLong(8));

        recoverAfterCrash(); // the process dies here, without close
        byte[] file = storeFile();
        assertEquals(22, file[15], "both commits replayed in order; the uncommitted write is lost");
        assertEquals(33, file[JournaledVolume.PAGE_SIZE + 15]);
    }

    @Test
    void closeCheckpointsCommittedPagesAndEmptiesTheJournal() throws IOException {
        JournaledVolume volume = open(Long.MAX_VALUE);
        volume.ensureAvailable(JournaledVolume.PAGE_SIZE);
        volume.putInt(0, 7);
        volume.sync();
        volume.putInt(4, 8); // never committed: abandoned
        volume.close();
        assertEquals(7, storeFile()[3]);
        assertEquals(0, storeFile()[7]);
        assertEquals(0, Files.size(dir.resolve("journal")));
    }

    @Test
    void afterACheckpointTheJournalRestartsAndOlderEntriesAreNotReplayedOverNewerOnes() throws IOException {
        int entry = StoreJournal.encodedSize(JournaledVolume.PAGE_SIZE, 1);
        JournaledVolume volume = open(3L * entry); // checkpoint after three one-page commits
        volume.ensureAvailable(JournaledVolume.PAGE_SIZE);
        for (int v = 1; v <= 3; v++) {
            volume.putLong(0, v);
            volume.sync();
        }
        assertEquals(1, volume.checkpoints());
        assertEquals(3, storeFile()[7]);
        volume.putLong(0, 4);
        volume.sync(); // overwrites the first stale entry (value 1); stale entries 2 and 3 follow it
        assertEquals(3L * entry, Files.size(dir.resolve("journal")), "the journal file is not truncated");

        recoverAfterCrash();
        assertEquals(4, storeFile()[7], "the replay stopped at the stale entries, older by sequence");
    }

    @Test
    void aCrashRightAfterACheckpointReplaysOnlyWhatTheCheckpointWrote() throws IOException {
        int entry = StoreJournal.encodedSize(JournaledVolume.PAGE_SIZE, 1);
        JournaledVolume volume = open(2L * entry);
        volume.ensureAvailable(JournaledVolume.PAGE_SIZE);
        volume.putLong(0, 1);
        volume.sync();
        volume.putLong(0, 2);
        volume.sync();
        assertEquals(1, volume.checkpoints());

        recoverAfterCrash();
        assertEquals(2, storeFile()[7]);
    }

    @Test
    void writesAreVisibleAtOnceButReachTheFileOnlyOnSync() throws IOException {
        JournaledVolume volume = open();
        volume.ensureAvailable(3 * JournaledVolume.PAGE_SIZE);
        long offset = JournaledVolume.PAGE_SIZE - 4; // straddles two pages
        volume.putLong(offset, 0x0102030405060708L);
        volume.putData(100, new byte[] {9, 9, 9}, 0, 3);

        assertEquals(0x0102030405060708L, volume.getLong(offset));
        assertEquals(0x05060708, volume.getInt(offset + 4));
        byte[] data = new byte[3];
        volume.getData(100, data, 0, 3);
        assertArrayEquals(new byte[] {9, 9, 9}, data);
        assertEquals(0, Files.readAllBytes(dir.resolve("store"))[(int) offset + 7], "not in the file before sync");

        volume.sync();

        byte[] file = Files.readAllBytes(dir.resolve("store"));
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, Arrays.copyOfRange(file, (int) offset, (int) offset + 8));
        assertEquals(1, volume.journaledSyncs());
        assertEquals(1, volume.checkpoints());
        assertEquals(0x0102030405060708L, volume.getLong(offset));
        volume.close();
    }

    @Test
    void closingWithoutSyncAbandonsTheChanges() throws IOException {
        JournaledVolume volume = open();
        volume.ensureAvailable(JournaledVolume.PAGE_SIZE);
        volume.putInt(0, 42);
        volume.close();
        assertEquals(0, Files.readAllBytes(dir.resolve("store"))[3]);
    }

    @Test
    void writesPastTheEndOfTheFileReadBackAndGrowItOnSync() throws IOException {
        JournaledVolume volume = open();
        volume.putByte(10_000, (byte) 7);
        assertEquals(7, volume.getByte(10_000));
        assertEquals(0, volume.getByte(9_999));
        volume.sync();
        assertEquals(7, Files.readAllBytes(dir.resolve("store"))[10_000]);
        volume.close();
    }

    @Test
    void clearZeroesARangeAcrossPages() throws IOException {
        JournaledVolume volume = open();
        volume.ensureAvailable(2 * JournaledVolume.PAGE_SIZE);
        byte[] ones = new byte[2 * JournaledVolume.PAGE_SIZE];
        Arrays.fill(ones, (byte) 1);
        volume.putData(0, ones, 0, ones.length);
        volume.sync();
        volume.clear(100, JournaledVolume.PAGE_SIZE + 100);
        assertEquals(1, volume.getByte(99));
        assertEquals(0, volume.getByte(100));
        assertEquals(0, volume.getByte(JournaledVolume.PAGE_SIZE + 99));
        assertEquals(1, volume.getByte(JournaledVolume.PAGE_SIZE + 100));
        volume.close();
    }

    @Test
    void theFileLengthIsAskedForOnlyWhenTheFileMayHaveGrown() throws IOException {
        FileChannelVol file = new FileChannelVol(dir.resolve("store").toFile(), false, 0L, 20, 0L);
        long[] lengthCalls = {0};
        JournaledVolume volume = new JournaledVolume(new ForwardingVolume(file) {
            @Override
            public long length() {
                lengthCalls[0]++;
                return super.length();
            }
        }, StoreJournal.open(dir.resolve("journal")), Long.MAX_VALUE);
        volume.ensureAvailable(2 * JournaledVolume.PAGE_SIZE);
        volume.putLong(8, 5);
        volume.sync();
        long before = lengthCalls[0];
        for (int i = 0; i < 1000; i++) {
            assertEquals(5, volume.getLong(8));
            assertEquals(0, volume.getLong(JournaledVolume.PAGE_SIZE + 8 * (i % 100))); // from the file
            volume.ensureAvailable(JournaledVolume.PAGE_SIZE);
        }
        assertEquals(before, lengthCalls[0]);
        volume.close();
    }
}
