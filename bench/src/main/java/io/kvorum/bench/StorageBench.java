package io.kvorum.bench;

import io.kvorum.ring.HlcTimestamp;
import io.kvorum.storage.Durability;
import io.kvorum.storage.KeyRecord;
import io.kvorum.storage.LwwRecord;
import io.kvorum.storage.MapDbStorageEngine;
import io.kvorum.storage.Sibling;
import io.kvorum.storage.StorageKey;
import io.kvorum.storage.StoreIo;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One storage-engine measurement, in-process and without HTTP: a fresh MapDB engine in
 * {@code durability=sync} with the given store file I/O, checkpoint size and key cache, loaded with
 * {@code records} values, then a measured mix of reads and updates with a fixed number in
 * flight. Reports throughput, the process's CPU time per operation (less sensitive than
 * throughput to other load on the machine) and latencies.
 */
final class StorageBench {

    /** What one run measured. */
    record Result(StoreIo io, long checkpointBytes, long keyCacheBytes, long operations, double opsPerSecond,
                  double cpuMicrosPerOp, double minorFaultsPerOp,
                  double p50Millis, double p99Millis) {
    }

    /**
     * The process's minor page faults so far ({@code minflt} in {@code /proc/self/stat}), or -1
     * where there is no such file. A write through a shared mapping to a page written back since
     * its last change is one; unlike CPU time, their count hardly depends on the machine's load.
     */
    static long minorFaults() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[7]); // field 10 of the file; fields[0] is field 3, the state
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private final int records;
    private final int valueSize;
    private final int concurrency;
    private final double readProportion;
    private final long seed;

    StorageBench(int records, int valueSize, int concurrency, double readProportion, long seed) {
        if (records < 1 || valueSize < 0 || concurrency < 1 || readProportion < 0 || readProportion > 1) {
            throw new IllegalArgumentException("records >= 1, value size >= 0, concurrency >= 1, "
                    + "read proportion in 0..1");
        }
        this.records = records;
        this.valueSize = valueSize;
        this.concurrency = concurrency;
        this.readProportion = readProportion;
        this.seed = seed;
    }

    Result run(Path directory, StoreIo io, long checkpointBytes, long keyCacheBytes, long operations) throws Exception {
        MapDbStorageEngine engine = MapDbStorageEngine.open(directory, Durability.SYNC, 10, checkpointBytes, io,
                keyCacheBytes);
        try {
            byte[] value = new byte[valueSize];
            AtomicLong stamp = new AtomicLong();
            drive(engine, records, 0.0, value, stamp, null, true);
            com.sun.management.OperatingSystemMXBean os =
                    (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            Histogram latencies = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
            long cpu0 = os.getProcessCpuTime();
            long faults0 = minorFaults();
            long t0 = System.nanoTime();
            drive(engine, operations, readProportion, value, stamp, latencies, false);
            double seconds = (System.nanoTime() - t0) / 1e9;
            double cpuMicros = (os.getProcessCpuTime() - cpu0) / 1e3;
            long faults = minorFaults();
            double faultsPerOp = faults0 < 0 || faults < 0 ? Double.NaN : (double) (faults - faults0) / operations;
            return new Result(io, checkpointBytes, keyCacheBytes, operations, operations / seconds, cpuMicros / operations,
                    faultsPerOp,
                    latencies.getValueAtPercentile(50) / 1e6, latencies.getValueAtPercentile(99) / 1e6);
        } finally {
            engine.close();
        }
    }

    /** Runs {@code count} operations, {@code concurrency} at a time; the load writes every key once. */
    private void drive(MapDbStorageEngine engine, long count, double reads, byte[] value, AtomicLong stamp,
                       Histogram latencies, boolean load) throws InterruptedException {
        Semaphore inFlight = new Semaphore(concurrency);
        CountDownLatch done = new CountDownLatch((int) count);
        Random random = new Random(seed);
        AtomicLong failures = new AtomicLong();
        for (long i = 0; i < count; i++) {
            inFlight.acquire();
            StorageKey key = key(load ? (int) (i % records) : random.nextInt(records));
            long start = System.nanoTime();
            CompletableFuture<?> op;
            if (!load && random.nextDouble() < reads) {
                op = engine.read(key);
            } else {
                long s = stamp.incrementAndGet();
                KeyRecord record = LwwRecord.of(Sibling.of(value, "application/octet-stream",
                        new HlcTimestamp(s, 0, "bench")));
                op = engine.update(key, current -> record);
            }
            op.whenComplete((r, e) -> {
                if (e != null) {
                    failures.incrementAndGet();
                } else if (latencies != null) {
                    synchronized (latencies) {
                        latencies.recordValue(Math.min(System.nanoTime() - start, latencies.getHighestTrackableValue()));
                    }
                }
                inFlight.release();
                done.countDown();
            });
        }
        done.await();
        if (failures.get() > 0) {
            throw new IllegalStateException(failures.get() + " storage operations failed");
        }
    }

    private static StorageKey key(int i) {
        return new StorageKey(i & 255, "bench", ("key" + i).getBytes(StandardCharsets.UTF_8));
    }
}
