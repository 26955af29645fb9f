package io.kvorum.system.scenarios;

import io.kvorum.system.NodeProcess;
import io.kvorum.system.history.Outcome;
import io.kvorum.system.nemesis.WorkloadClient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Concurrent writers, each bound to one coordinator, writing keys never written before (a
 * unique-key workload for {@link io.kvorum.system.history.Checker#uniqueKeyWrites}), recorded in
 * the scenario's history, until {@link #stop()}.
 *
 * <p>Each writer starts at most one write per {@code pace}: a write that fails fast (503 while a
 * node is cut off) would otherwise spin and invent thousands of keys for the final read to check.
 * This shapes the load (as Jepsen's stagger does); it synchronises nothing.
 */
final class UniqueKeyWorkload {
    private final WorkloadClient kv;
    private final String name;
    private final String bucket;
    private final String consistency;
    private final long timeoutMillis;
    private final Duration pace;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final AtomicInteger sequence = new AtomicInteger();
    private final Map<String, AtomicInteger> ackedVia = new ConcurrentHashMap<>();
    private final AtomicInteger acked = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final List<Thread> writers = new ArrayList<>();
    private final List<Throwable> errors = new ArrayList<>();

    /**
     * @param name          prefixes its keys and its writers' names, so that several workloads can
     *                      share a bucket and a history
     * @param consistency   the W of every write
     * @param timeoutMillis the node's deadline per write ({@code timeout=})
     */
    UniqueKeyWorkload(WorkloadClient kv, String name, String bucket, String consistency, long timeoutMillis,
                      Duration pace) {
        this.kv = kv;
        this.name = name;
        this.bucket = bucket;
        this.consistency = consistency;
        this.timeoutMillis = timeoutMillis;
        this.pace = pace;
    }

    /** Starts {@code count} writers that send every write through {@code coordinator}. */
    synchronized UniqueKeyWorkload writersVia(NodeProcess coordinator, int count) {
        ackedVia.putIfAbsent(coordinator.id(), new AtomicInteger());
        for (int i = 0; i < count; i++) {
            String process = processPrefix(coordinator) + i;
            Thread t = new Thread(() -> run(process, coordinator), process);
            t.setDaemon(true);
            writers.add(t);
            t.start();
        }
        return this;
    }

    private void run(String process, NodeProcess coordinator) {
        try {
            while (!stopping.get()) {
                long next = System.nanoTime() + pace.toNanos();
                String key = name + "-" + sequence.incrementAndGet();
                Outcome o = kv.write(process, coordinator, bucket, key, "v-" + key + "-" + process, consistency,
                        timeoutMillis);
                if (o == Outcome.OK) {
                    acked.incrementAndGet();
                    ackedVia.get(coordinator.id()).incrementAndGet();
                } else if (o == Outcome.FAIL) {
                    failed.incrementAndGet();
                }
                long wait = next - System.nanoTime();
                if (wait > 0 && !stopping.get()) {
                    LockSupport.parkNanos(wait);
                }
            }
        } catch (Throwable e) {
            synchronized (errors) {
                errors.add(e);
            }
        }
    }

    /** How the history names this workload's writers through {@code coordinator}: this, then a number. */
    String processPrefix(NodeProcess coordinator) {
        return name + "-writer-" + coordinator.id() + "-";
    }

    /** Writes that certainly failed so far. */
    int failed() {
        return failed.get();
    }

    /** Writes acknowledged so far. */
    int acked() {
        return acked.get();
    }

    /** Writes through {@code coordinator} acknowledged so far. */
    int ackedVia(NodeProcess coordinator) {
        AtomicInteger n = ackedVia.get(coordinator.id());
        return n == null ? 0 : n.get();
    }

    /** Stops the writers and waits for their last writes to complete (each is bounded by the client timeout). */
    void stop(Duration atMost) throws InterruptedException {
        stopping.set(true);
        long deadline = System.nanoTime() + atMost.toNanos();
        List<Thread> all;
        synchronized (this) {
            all = List.copyOf(writers);
        }
        for (Thread t : all) {
            t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            if (t.isAlive()) {
                throw new IllegalStateException(t.getName() + " did not finish its last write within " + atMost);
            }
        }
        synchronized (errors) {
            if (!errors.isEmpty()) {
                IllegalStateException e = new IllegalStateException("a writer failed: " + errors.get(0), errors.get(0));
                errors.stream().skip(1).forEach(e::addSuppressed);
                throw e;
            }
        }
    }
}
