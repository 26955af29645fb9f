package io.kvorum.storage;

import io.kvorum.ring.HlcTimestamp;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

/**
 * The child process of {@link MapDbCrashRecoveryTest}: writes increasing counters to a few keys
 * through a SYNC engine, as fast as group commit allows, and prints "ack key counter" for every
 * acknowledged write, until it is killed. Arguments: directory, key prefix, key count, and
 * optionally the {@link StoreIo} and the checkpoint size.
 */
public final class CrashWriter {
    private CrashWriter() {
    }

    public static void main(String[] args) {
        Path directory = Path.of(args[0]);
        String prefix = args[1];
        int keys = Integer.parseInt(args[2]);
        PrintStream out = new PrintStream(System.out, true);
        StoreIo io = args.length > 3 ? StoreIo.valueOf(args[3]) : StoreIo.MMAP;
        long checkpointBytes = args.length > 4 ? Long.parseLong(args[4]) : JournaledVolume.DEFAULT_CHECKPOINT_BYTES;
        MapDbStorageEngine engine = MapDbStorageEngine.open(directory, Durability.SYNC, 10, checkpointBytes, io);
        out.println("ready");
        Semaphore inFlight = new Semaphore(64);
        for (long counter = 1; ; counter++) {
            for (int k = 0; k < keys; k++) {
                inFlight.acquireUninterruptibly();
                long value = counter;
                String name = prefix + k;
                CompletableFuture<KeyRecord> write = engine.update(key(name), current -> record(value));
                write.whenComplete((r, e) -> {
                    if (e == null) {
                        synchronized (out) {
                            out.println("ack " + name + " " + value);
                        }
                    }
                    inFlight.release();
                });
            }
        }
    }

    static StorageKey key(String name) {
        return new StorageKey(3, "crash", name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    static KeyRecord record(long counter) {
        return LwwRecord.of(Sibling.of(ByteBuffer.allocate(8).putLong(counter).array(), "application/x-counter",
                new HlcTimestamp(counter, 0, "crash")));
    }

    static long counter(KeyRecord record) {
        return ByteBuffer.wrap(record.siblings().get(0).value()).getLong();
    }
}
