package io.kvorum.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.mapdb.volume.Volume;

class WalVolumesTest {
    private static final int SHIFT = 20;

    @Test
    void aVolumeIsReusedAndReadsAsZerosWhereTheLastUseWroteIt() {
        WalVolumes volumes = new WalVolumes(SHIFT);
        Volume first = volumes.open(0);
        first.ensureAvailable(4096);
        first.putLong(8, -1L);
        first.putData(100, new byte[] {1, 2, 3}, 0, 3);
        first.putData(2000, ByteBuffer.wrap(new byte[] {9, 9}));
        first.putInt(4000, 7);
        first.putByte(4095, (byte) 5);
        first.close();

        Volume second = volumes.open(0);
        second.ensureAvailable(4096);
        byte[] all = new byte[4096];
        second.getData(0, all, 0, all.length);
        assertArrayEquals(new byte[4096], all);
        assertEquals(1L, volumes.created());
    }

    @Test
    void aClosedVolumeRefusesEveryCall() {
        WalVolumes volumes = new WalVolumes(SHIFT);
        Volume vol = volumes.open(0);
        vol.ensureAvailable(16);
        vol.close();
        assertThrows(IllegalStateException.class, () -> vol.putLong(0, 1));
        assertThrows(IllegalStateException.class, () -> vol.getLong(0));
        vol.close(); // a second close changes nothing
        Volume next = volumes.open(0);
        Volume other = volumes.open(0);
        assertEquals(2L, volumes.created()); // the first was pooled once, not twice
        next.close();
        other.close();
    }

    @Test
    void aVolumeThatGrewPastOneSliceIsNotKept() {
        WalVolumes volumes = new WalVolumes(SHIFT);
        Volume big = volumes.open(0);
        big.ensureAvailable((1L << SHIFT) + 16);
        big.putLong(1L << SHIFT, 1L);
        big.close();
        volumes.open(0).close();
        assertEquals(2L, volumes.created());
    }

    @Test
    void atMostThePoolSizeIsKept() {
        WalVolumes volumes = new WalVolumes(SHIFT);
        Volume[] open = new Volume[WalVolumes.POOL_SIZE + 2];
        for (int i = 0; i < open.length; i++) {
            open[i] = volumes.open(0);
        }
        for (Volume v : open) {
            v.close();
        }
        for (int i = 0; i < open.length; i++) {
            open[i] = volumes.open(0);
        }
        assertEquals(open.length + 2L, volumes.created());
    }
}
