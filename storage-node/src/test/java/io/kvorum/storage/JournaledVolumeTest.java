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

    private JournaledVolume open() throws IOException {
        FileChannelVol base = new FileChannelVol(dir.resolve("store").toFile(), false, 0L, 20, 0L);
        return new JournaledVolume(base, StoreJournal.open(dir.resolve("journal")));
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
        assertEquals(0, Files.size(dir.resolve("journal")));
        assertEquals(1, volume.journaledSyncs());
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
}
