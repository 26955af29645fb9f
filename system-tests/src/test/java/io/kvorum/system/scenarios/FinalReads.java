package io.kvorum.system.scenarios;

import io.kvorum.system.NodeProcess;
import io.kvorum.system.history.FinalRead;
import io.kvorum.system.history.Op;
import io.kvorum.system.history.Operation;
import io.kvorum.system.nemesis.WorkloadClient;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The reads a checker compares the history with, made after the faults are over. */
final class FinalReads {
    private static final int ATTEMPTS = 3;

    private FinalReads() {
    }

    /** Every key the history's operations wrote, in invocation order. */
    static List<String> writtenKeys(List<Operation> operations) {
        return operations.stream().filter(o -> o.op() == Op.WRITE).map(Operation::key).distinct().toList();
    }

    /**
     * Reads every key at {@code consistency} with {@code threads} readers, spreading the keys over
     * {@code coordinators} in turn; a read that fails is retried twice. Keys whose reads all failed
     * are missing from the answer (the checker counts them as unread).
     */
    static Map<String, FinalRead> read(WorkloadClient kv, List<NodeProcess> coordinators, String bucket,
                                       List<String> keys, String consistency, int threads) throws Exception {
        Map<String, FinalRead> out = new ConcurrentHashMap<>();
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String process = "final-reader-" + t;
                done.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < keys.size(); i = next.getAndIncrement()) {
                        String key = keys.get(i);
                        for (int a = 0; a < ATTEMPTS; a++) {
                            NodeProcess via = coordinators.get((i + a) % coordinators.size());
                            FinalRead r = kv.read(process, via, bucket, key, consistency, 5000);
                            if (r != null) {
                                out.put(key, r);
                                break;
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(5, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        return out;
    }
}
