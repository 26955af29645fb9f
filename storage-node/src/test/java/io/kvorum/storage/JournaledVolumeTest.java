package io.kvorum.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mapdb.volume.FileChannelVol;
import org.mapdb.volume.Volume;

/** Every test runs over each kind of store file volume. */
class JournaledVolumeTest {
    private static final int SLICE_SHIFT = 20;
    private static final int SLICE = 1 << SLICE_SHIFT;

    /** The store file volumes under test. */
    enum Base {
        CHANNEL,
        MMAP,
        /** Mapped, checkpoints written through the mapping rather than with pwrite. */
        MMAP_MAPPED_WRITES,
        /** Mapped, syncing slice by slice as where one file sync is not known to cover the mapping. */
        MMAP_FORCING_SLICES;

        Volume open(Path file) {
            return switch (this) {
                case CHANNEL -> new FileChannelVol(file.toFile(), false, 0L, SLICE_SHIFT, 0L);
                case MMAP -> MappedStoreVolume.open(file.toFile(), 0L, SLICE_SHIFT, 0L);
                case MMAP_MAPPED_WRITES -> MappedStoreVolume.open(file.toFile(), 0L, SLICE_SHIFT, 0L, true, false);
                case MMAP_FORCING_SLICES -> MappedStoreVolume.open(file.toFile(), 0L, SLICE_SHIFT, 0L, false);
            };
        }
    }

    @TempDir
    Path dir;

    /** A volume that checkpoints on every commit: the store file is up to date after each sync. */
    private JournaledVolume open(Base base) throws IOException {
        return open(base, 0);
    }

    /** A volume that checkpoints when its journal holds {@code checkpointBytes}, whatever it holds in memory. */
    private JournaledVolume open(Base base, long checkpointBytes) throws IOException {
        return new JournaledVolume(base.open(dir.resolve("store")), StoreJournal.open(dir.resolve("journal")),
                checkpointBytes, checkpointBytes == 0 ? 0 : Long.MAX_VALUE);
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

    @ParameterizedTest
    @EnumSource(Base.class)
    void aCommitIsDurableInTheJournalAloneAndReachesTheStoreFileAtTheCheckpoint(Base base) throws IOException {
        JournaledVolume volume = open(base, Long.MAX_VALUE);
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

    /**
     * A committed page is changed in place by the next commit, except while a background
     * checkpoint holds it: a change that is never committed must not reach the store file through
     * a checkpoint that runs after it was made.
     */
    @ParameterizedTest
    @EnumSource(Base.class)
    void aCheckpointRunningAfterAnUncommittedChangeWritesOnlyWhatWasCommitted(Base base) throws IOException {
        java.util.List<Runnable> checkpoints = new java.util.ArrayList<>();
        JournaledVolume volume = new JournaledVolume(base.open(dir.resolve("store")),
                StoreJournal.open(dir.resolve("journal")), StoreJournal.open(dir.resolve("journal2")), 1, 1,
                checkpoints::add);
        volume.ensureAvailable(JournaledVolume.PAGE_SIZE);
        volume.putLong(0, 11);
        volume.sync(); // starts a checkpoint of page 0
        assertEquals(1, checkpoints.size());
        volume.putLong(1024, 99); // page 0 again, another chunk; never committed
        assertEquals(99, volume.getLong(1024));
        checkpoints.get(0).run();
        byte[] file = storeFile();
        assertEquals(11, file[7], "the checkpoint wrote the commit");
        assertEquals(0, file[1024 + 7], "and not the change made after it started");
    }

    @ParameterizedTest
    @EnumSource(Base.class)
    void closeCheckpointsCommittedPagesAndEmptiesTheJournal(Base base) throws IOException {
        JournaledVolume volume = open(base, Long.MAX_VALUE);
        volume.ensureAvailable(JournaledVolume.PAGE_SIZE);
        volume.putInt(0, 7);
        volume.sync();
        volume.putInt(4, 8); // never committed: abandoned
        volume.close();
        assertEquals(7, storeFile()[3]);
        assertEquals(0, storeFile()[7]);
        assertEquals(0, Files.size(dir.resolve("journal")));
    }

    @ParameterizedTest
    @EnumSource(Base.class)
    void afterACheckpointTheJournalRestartsAndOlderEntriesAreNotReplayedOverNewerOnes(Base base) throws IOException {
        int entry = StoreJournal.encodedSize(JournaledVolume.CHUNK_SIZE, 1);
        JournaledVolume volume = open(base, 3L * entry); // checkpoint after three one-chunk commits
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

    @ParameterizedTest
    @EnumSource(Base.class)
    void aCrashRightAfterACheckpointReplaysOnlyWhatTheCheckpointWrote(Base base) throws IOException {
        int entry = StoreJournal.encodedSize(JournaledVolume.CHUNK_SIZE, 1);
        JournaledVolume volume = open(base, 2L * entry);
        volume.ensureAvailable(JournaledVolume.PAGE_SIZE);
        volume.putLong(0, 1);
        volume.sync();
        volume.putLong(0, 2);
        volume.sync();
        assertEquals(1, volume.checkpoints());

        recoverAfterCrash();
        assertEquals(2, storeFile()[7]);
    }

    @ParameterizedTest
    @EnumSource(Base.class)
    void writesAreVisibleAtOnceButReachTheFileOnlyOnSync(Base base) throws IOException {
        JournaledVolume volume = open(base);
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

    @ParameterizedTest
    @EnumSource(Base.class)
    void closingWithoutSyncAbandonsTheChanges(Base base) throws IOException {
        JournaledVolume volume = open(base);
        volume.ensureAvailable(JournaledVolume.PAGE_SIZE);
        volume.putInt(0, 42);
        volume.close();
        assertEquals(0, Files.readAllBytes(dir.resolve("store"))[3]);
    }

    @ParameterizedTest
    @EnumSource(Base.class)
    void writesPastTheEndOfTheFileReadBackAndGrowItOnSync(Base base) throws IOException {
        JournaledVolume volume = open(base);
        volume.putByte(10_000, (byte) 7);
        assertEquals(7, volume.getByte(10_000));
        assertEquals(0, volume.getByte(9_999));
        volume.sync();
        assertEquals(7, Files.readAllBytes(dir.resolve("store"))[10_000]);
        volume.close();
    }

    @ParameterizedTest
    @EnumSource(Base.class)
    void clearZeroesARangeAcrossPages(Base base) throws IOException {
        JournaledVolume volume = open(base);
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

    @ParameterizedTest
    @EnumSource(Base.class)
    void dataAcrossASliceBoundarySurvivesACheckpointAndAReopen(Base base) throws IOException {
        JournaledVolume volume = open(base, Long.MAX_VALUE);
        byte[] data = new byte[3 * JournaledVolume.PAGE_SIZE + 100];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31 + 7);
        }
        long start = SLICE - 2 * JournaledVolume.PAGE_SIZE - 50; // straddles the first slice's end
        volume.ensureAvailable(start + data.length);
        volume.putData(start, data, 0, data.length);
        volume.putLong(SLICE - 4, 0x1122334455667788L);
        volume.sync();
        volume.close(); // checkpoints

        volume = open(base, Long.MAX_VALUE); // nothing in memory: reads go to the file
        byte[] read = new byte[data.length];
        volume.getData(start, read, 0, read.length);
        byte[] expected = data.clone();
        System.arraycopy(new byte[] {0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, (byte) 0x88}, 0,
                expected, (int) (SLICE - 4 - start), 8);
        assertArrayEquals(expected, read);
        assertEquals(0x1122334455667788L, volume.getLong(SLICE - 4));
        byte[] viaInput = new byte[200];
        volume.getDataInput(SLICE - 100, 200).readFully(viaInput);
        assertArrayEquals(Arrays.copyOfRange(expected, (int) (SLICE - 100 - start), (int) (SLICE + 100 - start)),
                viaInput);
        assertArrayEquals(expected, Arrays.copyOfRange(storeFile(), (int) start, (int) start + data.length));
        volume.close();
    }

    @ParameterizedTest
    @EnumSource(Base.class)
    void theFileGrowsSliceBySliceAtCheckpointsAndReopensWithEverything(Base base) throws IOException {
        int entry = StoreJournal.encodedSize(JournaledVolume.CHUNK_SIZE, 1);
        JournaledVolume volume = open(base, 4L * entry); // a checkpoint every four one-chunk commits
        long step = SLICE / 2 + JournaledVolume.PAGE_SIZE; // the pages land in ever new slices
        for (int i = 0; i < 10; i++) {
            volume.ensureAvailable((i + 1) * step);
            volume.putLong(i * step + 16, 1000 + i);
            volume.sync();
            assertEquals(1000 + i, volume.getLong(i * step + 16));
        }
        assertEquals(2, volume.checkpoints());
        assertTrue(volume.length() >= 10 * step, "length " + volume.length());
        volume.close();
        assertEquals(0, Files.size(dir.resolve("journal")));

        volume = open(base, 4L * entry);
        for (int i = 0; i < 10; i++) {
            assertEquals(1000 + i, volume.getLong(i * step + 16), "page " + i);
            assertEquals(0, volume.getLong(i * step + 24));
        }
        volume.close();
    }

    @ParameterizedTest
    @EnumSource(Base.class)
    void aCrashAfterTheFileGrewReplaysIntoTheGrownFile(Base base) throws IOException {
        JournaledVolume volume = open(base, Long.MAX_VALUE);
        volume.ensureAvailable(JournaledVolume.PAGE_SIZE);
        volume.putLong(0, 1);
        volume.sync();
        volume.close();
        Volume file = base.open(dir.resolve("store"));
        volume = new JournaledVolume(file, StoreJournal.open(dir.resolve("journal")), Long.MAX_VALUE);
        volume.ensureAvailable(3L * SLICE);
        volume.putLong(2L * SLICE + 8, 2);
        volume.sync(); // in the journal only
        assertEquals(0, storeFile()[(int) (2L * SLICE + 15)]);

        file.close(); // the process dies here: the file is released, nothing is checkpointed
        recoverAfterCrash();
        volume = open(base, Long.MAX_VALUE);
        assertEquals(1, volume.getLong(0));
        assertEquals(2, volume.getLong(2L * SLICE + 8));
        volume.close();
    }

    @ParameterizedTest
    @EnumSource(Base.class)
    void theFileLengthIsAskedForOnlyWhenTheFileMayHaveGrown(Base base) throws IOException {
        Volume file = base.open(dir.resolve("store"));
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

    @ParameterizedTest
    @EnumSource(Base.class)
    void aCommitJournalsOnlyTheChunksItChanged(Base base) throws IOException {
        JournaledVolume volume = open(base, Long.MAX_VALUE);
        volume.ensureAvailable(3 * JournaledVolume.PAGE_SIZE);
        volume.putLong(8, 1); // chunk 0 of page 0
        volume.putInt(20, 2); // chunk 0 again
        volume.putData(JournaledVolume.PAGE_SIZE + 120, new byte[200], 0, 200); // chunks 0, 1 and 2 of page 1
        volume.putByte(3L * JournaledVolume.PAGE_SIZE - 1, (byte) 3); // the last chunk of page 2
        volume.sync();
        assertEquals(StoreJournal.encodedSize(JournaledVolume.CHUNK_SIZE, 5), Files.size(dir.resolve("journal")));
        volume.putLong(JournaledVolume.PAGE_SIZE - 4, 4); // straddles page 0's last chunk and page 1's first
        volume.sync();
        assertEquals(StoreJournal.encodedSize(JournaledVolume.CHUNK_SIZE, 5)
                + StoreJournal.encodedSize(JournaledVolume.CHUNK_SIZE, 2), Files.size(dir.resolve("journal")));
        volume.close();
    }

    @ParameterizedTest
    @EnumSource(Base.class)
    void aCrashReplaysChangedChunksOntoTheRestOfTheirPagesFromTheLastCheckpoint(Base base) throws IOException {
        byte[] ones = new byte[2 * JournaledVolume.PAGE_SIZE];
        Arrays.fill(ones, (byte) 1);
        JournaledVolume volume = open(base, Long.MAX_VALUE);
        volume.ensureAvailable(ones.length);
        volume.putData(0, ones, 0, ones.length);
        volume.sync();
        volume.close(); // checkpointed: the file holds the ones
        Volume file = base.open(dir.resolve("store"));
        volume = new JournaledVolume(file, StoreJournal.open(dir.resolve("journal")), Long.MAX_VALUE);
        volume.putLong(1000, 42);
        volume.sync();
        volume.putLong(JournaledVolume.PAGE_SIZE - 4, -1L); // across the page boundary
        volume.putByte(1003, (byte) 7); // the same chunk as the first commit's
        volume.sync();
        file.close(); // the process dies: nothing checkpointed since the reopen

        recoverAfterCrash();
        byte[] expected = ones.clone();
        java.nio.ByteBuffer.wrap(expected).putLong(1000, 42).putLong(JournaledVolume.PAGE_SIZE - 4, -1L);
        expected[1003] = 7;
        assertArrayEquals(expected, Arrays.copyOf(storeFile(), expected.length));
    }

    @ParameterizedTest
    @EnumSource(Base.class)
    void committedPagesInMemoryAreCheckpointedOnceTheyReachTheirBound(Base base) throws IOException {
        JournaledVolume volume = new JournaledVolume(base.open(dir.resolve("store")),
                StoreJournal.open(dir.resolve("journal")), Long.MAX_VALUE, 3L * JournaledVolume.PAGE_SIZE);
        volume.ensureAvailable(4L * JournaledVolume.PAGE_SIZE);
        for (int page = 0; page < 2; page++) {
            volume.putLong(page * (long) JournaledVolume.PAGE_SIZE, page + 1);
            volume.sync();
            volume.putLong(page * (long) JournaledVolume.PAGE_SIZE + 8, page + 1); // the same page again
            volume.sync();
        }
        assertEquals(0, volume.checkpoints(), "two pages in memory, the bound is three");
        volume.putLong(2L * JournaledVolume.PAGE_SIZE, 3);
        volume.sync();
        assertEquals(1, volume.checkpoints());
        assertEquals(3, storeFile()[2 * JournaledVolume.PAGE_SIZE + 7]);
        volume.close();
    }
}
