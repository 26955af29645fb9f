package io.kvorum.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple3;
import org.mapdb.volume.Volume;

/**
 * The journaled volume against a plain byte array: random writes of every width (within pages,
 * across pages, across file slices), reads, commits, checkpoints at random sizes, and a crash after
 * the last commit. Reads always return what the model holds; after the crash and the journal's
 * replay the store file holds exactly the model as of the last commit, whatever the chunks and
 * checkpoints in between.
 */
class JournaledVolumeModelProperties {
    private static final int SLICE_SHIFT = 16; // small slices: writes cross them
    private static final int SIZE = 5 * (1 << SLICE_SHIFT);

    /** kind, offset, value-or-length; kinds: 0 long, 1 int, 2 byte, 3 data, 4 clear, 5 commit, 6 read-check. */
    @Provide
    Arbitrary<List<Tuple3<Integer, Integer, Integer>>> operations() {
        Arbitrary<Integer> kinds = Arbitraries.frequency(
                Tuple.of(4, 0), Tuple.of(3, 1), Tuple.of(2, 2), Tuple.of(3, 3), Tuple.of(1, 4), Tuple.of(2, 5), Tuple.of(3, 6));
        // offsets clustered near page and slice boundaries as well as anywhere
        Arbitrary<Integer> offsets = Arbitraries.oneOf(
                Arbitraries.integers().between(0, SIZE - 9000),
                Arbitraries.integers().between(1, 40).map(i -> i * JournaledVolume.PAGE_SIZE - 6),
                Arbitraries.integers().between(1, 4).map(i -> (i << SLICE_SHIFT) - 3));
        Arbitrary<Integer> values = Arbitraries.integers().between(1, 9000);
        return Combinators.combine(kinds, offsets, values).as(Tuple::of).list().ofMinSize(1).ofMaxSize(120);
    }

    @Property(tries = 60)
    void readsFollowTheModelAndACrashRecoversTheLastCommit(
            @ForAll("operations") List<Tuple3<Integer, Integer, Integer>> ops,
            @ForAll("checkpointSizes") long checkpointBytes) throws Exception {
        run(ops, checkpointBytes, false);
    }

    /**
     * The same with checkpoints in the background: a checkpoint runs only when the operations say
     * (kind 5 with a value of 1 modulo 5, so that commits often happen while one is pending; kind 6
     * with a value of 0 modulo 7, between uncommitted changes), or when a commit must wait for it; a crash abandons a checkpoint that has not run, so recovery
     * needs both journals.
     */
    @Property(tries = 60)
    void withBackgroundCheckpointsACrashAtAnyPointRecoversTheLastCommit(
            @ForAll("operations") List<Tuple3<Integer, Integer, Integer>> ops,
            @ForAll("checkpointSizes") long checkpointBytes) throws Exception {
        run(ops, Math.max(checkpointBytes, 1), true);
    }

    /**
     * A clean close instead of a crash, often with changes that were never committed (committed
     * pages are changed in place, so those changes must be taken back): the store file then holds
     * the last commit without any replay.
     */
    @Property(tries = 60)
    void aCleanCloseLeavesTheLastCommitInTheStoreFile(
            @ForAll("operations") List<Tuple3<Integer, Integer, Integer>> ops,
            @ForAll("checkpointSizes") long checkpointBytes, @ForAll boolean background) throws Exception {
        run(ops, background ? Math.max(checkpointBytes, 1) : checkpointBytes, background, true);
    }

    private void run(List<Tuple3<Integer, Integer, Integer>> ops, long checkpointBytes, boolean background)
            throws Exception {
        run(ops, checkpointBytes, background, false);
    }

    private void run(List<Tuple3<Integer, Integer, Integer>> ops, long checkpointBytes, boolean background,
                     boolean cleanClose) throws Exception {
        Path dir = Files.createTempDirectory("jv-model");
        GatedExecutor gate = new GatedExecutor();
        try {
            byte[] model = new byte[SIZE];
            byte[] committedModel = new byte[SIZE];
            Volume file = MappedStoreVolume.open(dir.resolve("store").toFile(), 0L, SLICE_SHIFT, 0L);
            StoreJournal journal = StoreJournal.open(dir.resolve("journal"));
            StoreJournal spare = background ? StoreJournal.open(dir.resolve("journal2")) : null;
            JournaledVolume volume = background
                    ? new JournaledVolume(file, journal, spare, checkpointBytes, checkpointBytes, gate)
                    : new JournaledVolume(file, journal, checkpointBytes);
            volume.ensureAvailable(SIZE);
            int seed = 1;
            for (Tuple3<Integer, Integer, Integer> op : ops) {
                int kind = op.get1();
                int at = op.get2();
                int v = op.get3();
                seed = seed * 31 + v;
                switch (kind) {
                    case 0 -> {
                        long value = ((long) seed << 32) ^ v;
                        volume.putLong(at, value);
                        ByteBuffer.wrap(model).putLong(at, value);
                    }
                    case 1 -> {
                        volume.putInt(at, seed);
                        ByteBuffer.wrap(model).putInt(at, seed);
                    }
                    case 2 -> {
                        volume.putByte(at, (byte) seed);
                        model[at] = (byte) seed;
                    }
                    case 3 -> {
                        byte[] data = new byte[v];
                        Arrays.fill(data, (byte) seed);
                        data[0] = (byte) (seed >>> 8);
                        volume.putData(at, data, 0, data.length);
                        System.arraycopy(data, 0, model, at, data.length);
                    }
                    case 4 -> {
                        volume.clear(at, at + v);
                        Arrays.fill(model, at, at + v, (byte) 0);
                    }
                    case 5 -> {
                        volume.sync();
                        System.arraycopy(model, 0, committedModel, 0, SIZE);
                        if (v % 5 == 1) {
                            gate.runPending();
                        }
                    }
                    default -> {
                        if (v % 7 == 0) {
                            gate.runPending(); // a checkpoint runs while changes are not committed yet
                        }
                        assertEquals(ByteBuffer.wrap(model).getLong(at), volume.getLong(at), "long at " + at);
                        assertEquals(ByteBuffer.wrap(model).getInt(at + 3), volume.getInt(at + 3), "int at " + (at + 3));
                        assertEquals(model[at + 5], volume.getByte(at + 5), "byte at " + (at + 5));
                        byte[] got = new byte[v];
                        volume.getData(at, got, 0, v);
                        assertArrayEquals(Arrays.copyOfRange(model, at, at + v), got, "data at " + at);
                        byte[] viaInput = new byte[Math.min(v, 3000)];
                        volume.getDataInput(at, viaInput.length).readFully(viaInput);
                        assertArrayEquals(Arrays.copyOfRange(model, at, at + viaInput.length), viaInput, "input at " + at);
                    }
                }
            }
            if (cleanClose) {
                volume.close(); // runs a pending checkpoint, then checkpoints what is committed
                assertEquals(0, Files.size(dir.resolve("journal")), "nothing left to replay");
                byte[] closed = Arrays.copyOf(Files.readAllBytes(dir.resolve("store")), SIZE);
                assertArrayEquals(committedModel, closed, "the store file after a clean close is the last commit");
                return;
            }
            gate.abandon(); // the process dies: a checkpoint that has not run never will
            file.close(); // what is only in dirty pages is gone
            journal.close();
            if (spare != null) {
                spare.close();
            }
            try (StoreJournal again = StoreJournal.open(dir.resolve("journal"));
                 StoreJournal again2 = StoreJournal.open(dir.resolve("journal2"))) {
                StoreJournal.recoverInto(dir.resolve("store"), again, again2);
            }
            byte[] onDisk = Arrays.copyOf(Files.readAllBytes(dir.resolve("store")), SIZE);
            assertArrayEquals(committedModel, onDisk, "the store file after recovery is the last commit");
        } finally {
            gate.abandon();
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Provide
    Arbitrary<Long> checkpointSizes() {
        return Arbitraries.of(0L, 600L, 5_000L, 40_000L, Long.MAX_VALUE);
    }

    /**
     * Runs each checkpoint on its own thread, but only once the test lets it ({@link #runPending})
     * or the test thread waits (a commit waiting for the checkpoint); {@link #abandon} drops it.
     */
    private static final class GatedExecutor implements Executor {
        private final Thread owner = Thread.currentThread();
        private final Semaphore go = new Semaphore(0);
        private volatile boolean abandoned;
        private Thread worker;

        @Override
        public void execute(Runnable task) {
            worker = new Thread(() -> {
                try {
                    while (!go.tryAcquire(5, TimeUnit.MILLISECONDS)) {
                        if (owner.getState() == Thread.State.WAITING) {
                            break;
                        }
                    }
                } catch (InterruptedException e) {
                    return;
                }
                if (!abandoned) {
                    task.run();
                }
            }, "test-checkpointer");
            worker.start();
        }

        void runPending() throws InterruptedException {
            if (worker != null) {
                go.release();
                worker.join();
                worker = null;
            }
        }

        void abandon() throws InterruptedException {
            abandoned = true;
            runPending();
        }
    }
}
