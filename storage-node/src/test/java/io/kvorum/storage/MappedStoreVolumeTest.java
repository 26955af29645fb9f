package io.kvorum.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mapdb.DBException;
import org.mapdb.DataInput2;

class MappedStoreVolumeTest {
    private static final int SHIFT = 20;
    private static final int SLICE = 1 << SHIFT;

    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("store");
    }

    @Test
    void anExistingFileIsFilledUpToASliceBoundaryAndKeepsItsContent() throws IOException {
        byte[] content = new byte[5000];
        Arrays.fill(content, (byte) 3);
        Files.write(file(), content);

        MappedStoreVolume volume = MappedStoreVolume.open(file().toFile(), 0L, SHIFT, 0L);
        assertEquals(SLICE, Files.size(file()));
        assertEquals(SLICE, volume.length());
        byte[] read = new byte[5001];
        volume.getData(0, read, 0, read.length);
        assertArrayEquals(Arrays.copyOf(content, 5001), read);
        volume.close();
    }

    /** Records are decoded from a copy of their bytes: what was written, from where it was written, and no more. */
    @Test
    void aDataInputReadsACopyOfExactlyTheRequestedBytes() throws IOException {
        MappedStoreVolume volume = MappedStoreVolume.open(file().toFile(), 0L, SHIFT, 0L);
        volume.ensureAvailable(2L * SLICE);
        volume.putData(SLICE + 100, new byte[] {(byte) 0x81, 0x7f, 0, 0, 0, 42, 5, 6}, 0, 8);
        DataInput2 in = volume.getDataInput(SLICE + 100, 7);
        assertEquals(1, in.unpackInt()); // 0x81: one byte, its high bit ends the number
        assertEquals(0x7f000000, in.readInt());
        assertEquals(42, in.readUnsignedByte());
        assertEquals(5, in.readUnsignedByte());
        assertThrows(RuntimeException.class, in::readUnsignedByte, "a read past the record's size");
        volume.putData(SLICE + 100, new byte[] {0x11}, 0, 1);
        DataInput2 again = volume.getDataInput(SLICE + 100, 1);
        assertEquals(0x11, again.readUnsignedByte(), "a later read sees a later write");
        volume.close();
    }

    @Test
    void growingAcrossSlicesMapsTheNewSlicesAndWritesReachTheFile() throws IOException {
        MappedStoreVolume volume = MappedStoreVolume.open(file().toFile(), 0L, SHIFT, 0L);
        assertEquals(0, volume.length());
        volume.ensureAvailable(SLICE + 1);
        assertEquals(2L * SLICE, volume.length());
        volume.putLong(SLICE - 8, 0x0102030405060708L);
        volume.putData(SLICE, new byte[] {9, 8, 7}, 0, 3);
        assertThrows(DBException.VolumeEOF.class, () -> volume.putLong(2L * SLICE, 1));
        volume.sync();
        volume.close();

        byte[] file = Files.readAllBytes(file());
        assertEquals(2 * SLICE, file.length);
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 8, 7},
                Arrays.copyOfRange(file, SLICE - 8, SLICE + 3));
    }

    @Test
    void syncWithoutWritesDoesNothingAndEachSyncWithWritesSyncsOnce() {
        MappedStoreVolume volume = MappedStoreVolume.open(file().toFile(), 0L, SHIFT, 0L, true);
        volume.ensureAvailable(3L * SLICE);
        volume.sync();
        assertEquals(0, volume.syncs());
        volume.putLong(8, 1);
        volume.putLong(2L * SLICE + 8, 1);
        volume.sync();
        volume.sync();
        assertEquals(1, volume.syncs());
        assertEquals(0, volume.forcedSlices(), "one file sync, no slice forced");
        volume.close();
    }

    @Test
    void forcingSliceBySliceForcesOnlyTheSlicesWritten() throws IOException {
        MappedStoreVolume volume = MappedStoreVolume.open(file().toFile(), 0L, SHIFT, 0L, false);
        volume.ensureAvailable(4L * SLICE);
        volume.putLong(8, 1);
        volume.putData(2L * SLICE + 100, new byte[] {5, 5}, 0, 2);
        volume.clear(3L * SLICE, 3L * SLICE + 10);
        volume.sync();
        assertEquals(3, volume.forcedSlices(), "slices 0, 2 and 3; not 1");
        volume.putInt(SLICE, 7);
        volume.sync();
        assertEquals(4, volume.forcedSlices());
        assertEquals(2, volume.syncs());
        volume.close();
        assertEquals(7, Files.readAllBytes(file())[SLICE + 3]);
    }

    /**
     * With channel writes (Linux's default) byte ranges go to the file with pwrite: a read through
     * the mapping sees them at once, the file holds them after a sync, and a write past the mapped
     * length is refused without growing the file. Through the mapping, the same holds.
     */
    @Test
    void rangesWrittenThroughTheChannelOrTheMappingAreReadBackAndReachTheFile() throws IOException {
        for (boolean channelWrites : new boolean[] {true, false}) {
            Path file = dir.resolve("store-" + channelWrites);
            MappedStoreVolume volume = MappedStoreVolume.open(file.toFile(), 0L, SHIFT, 0L, true, channelWrites);
            volume.ensureAvailable(2L * SLICE);
            byte[] page = new byte[4096];
            Arrays.fill(page, (byte) 7);
            volume.putData(SLICE + 4096, page, 0, page.length); // a page of the second slice, as a checkpoint writes it
            volume.putData(100, java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3}));
            byte[] read = new byte[4096];
            volume.getData(SLICE + 4096, read, 0, read.length);
            assertArrayEquals(page, read, "channelWrites=" + channelWrites);
            assertEquals(3, volume.getDataInput(102, 1).readUnsignedByte());
            assertThrows(RuntimeException.class, () -> volume.putData(2L * SLICE - 1, new byte[2], 0, 2));
            volume.sync();
            assertEquals(1, volume.syncs());
            volume.close();

            byte[] onDisk = Files.readAllBytes(file);
            assertEquals(2 * SLICE, onDisk.length, "a refused write does not grow the file");
            assertArrayEquals(page, Arrays.copyOfRange(onDisk, SLICE + 4096, SLICE + 8192));
            assertArrayEquals(new byte[] {1, 2, 3}, Arrays.copyOfRange(onDisk, 100, 103));
        }
    }

    @Test
    void channelWritesNeedOneSyncOfTheWholeFile() {
        assertThrows(IllegalArgumentException.class,
                () -> MappedStoreVolume.open(file().toFile(), 0L, SHIFT, 0L, false, true));
    }

    @Test
    void theFileIsLockedUntilClosed() {
        MappedStoreVolume volume = MappedStoreVolume.open(file().toFile(), 0L, SHIFT, 0L);
        assertTrue(volume.getFileLocked());
        assertThrows(DBException.FileLocked.class, () -> MappedStoreVolume.open(file().toFile(), 0L, SHIFT, 0L));
        volume.close();
        assertTrue(volume.isClosed());
        MappedStoreVolume again = MappedStoreVolume.open(file().toFile(), 0L, SHIFT, 0L);
        assertTrue(again.getFileLocked());
        again.close();
    }
}
