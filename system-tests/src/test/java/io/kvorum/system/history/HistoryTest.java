package io.kvorum.system.history;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HistoryTest {
    private final AtomicLong nanos = new AtomicLong(1_000);
    private final History history = new History(Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC),
            () -> nanos.addAndGet(10));

    @Test
    void operationsJoinEachInvocationWithItsCompletion() {
        long w1 = history.invoke("w1", Op.WRITE, "a", "va");
        long w2 = history.invoke("w2", Op.WRITE, "b", "vb");
        long r = history.invoke("r1", Op.READ, "a", null);
        long w3 = history.invoke("w1", Op.WRITE, "c", "vc");
        history.note("nemesis", "kill n3");
        history.ok(w2, null);
        history.indeterminate(w1, "504");
        history.ok(r, "va");

        List<Operation> ops = history.operations();
        assertEquals(List.of(w1, w2, r, w3), ops.stream().map(Operation::id).toList());
        assertEquals(new Operation(w1, "w1", Op.WRITE, "a", "va", Outcome.INDETERMINATE, null, "504", 1_010, 1_070),
                ops.get(0));
        assertEquals(Outcome.OK, ops.get(1).outcome());
        assertEquals("va", ops.get(2).result());
        assertEquals(Outcome.PENDING, ops.get(3).outcome());
        assertEquals(-1, ops.get(3).completedNanos());
        assertTrue(ops.get(3).uncertain());
    }

    @Test
    void anOperationCompletesOnlyOnce() {
        long id = history.invoke("w1", Op.WRITE, "a", "va");
        history.fail(id, "503 applied none");
        IllegalStateException twice = assertThrows(IllegalStateException.class, () -> history.ok(id, null));
        assertTrue(twice.getMessage().contains("already complete"), twice.getMessage());
        IllegalStateException unknown = assertThrows(IllegalStateException.class, () -> history.ok(99, null));
        assertTrue(unknown.getMessage().contains("never invoked"), unknown.getMessage());
    }

    @Test
    void writesJsonLinesThatReadBackToTheSameEvents(@TempDir Path dir) throws Exception {
        long id = history.invoke("w1", Op.WRITE, "k \"1\"\n", "v\u00e9");
        history.note("nemesis", "partition [n3] | [n1, n2]");
        history.indeterminate(id, "read timed out");
        Path file = dir.resolve("sub/h.jsonl");

        history.writeTo(file);

        List<String> lines = Files.readAllLines(file);
        assertEquals(3, lines.size());
        assertEquals("{\"id\":1,\"type\":\"invoke\",\"process\":\"w1\",\"op\":\"WRITE\",\"key\":\"k \\\"1\\\"\\n\","
                + "\"value\":\"v\u00e9\",\"wallMillis\":1767323045000,\"monotonicNanos\":1010}", lines.get(0));
        assertEquals(history.events(), History.readFrom(file));
        assertEquals(history.operations(), History.operations(History.readFrom(file)));
    }

    @Test
    void concurrentClientsGetDistinctIdsAndOrderedTimestamps() throws Exception {
        History real = new History();
        int threads = 8;
        int perThread = 500;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            String process = "w" + t;
            done.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < perThread; i++) {
                    long id = real.invoke(process, Op.WRITE, process + "-" + i, "v");
                    if (i % 3 == 0) {
                        real.ok(id, null);
                    } else if (i % 3 == 1) {
                        real.fail(id, "no");
                    } else {
                        real.indeterminate(id, "maybe");
                    }
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : done) {
            f.get(30, TimeUnit.SECONDS);
        }
        pool.shutdown();

        List<Event> events = real.events();
        assertEquals(2 * threads * perThread, events.size());
        Set<Long> ids = new HashSet<>();
        long previous = Long.MIN_VALUE;
        for (Event e : events) {
            assertTrue(e.monotonicNanos() >= previous, "timestamps follow the order of the events");
            previous = e.monotonicNanos();
            if (e.type().equals(Event.INVOKE)) {
                assertTrue(ids.add(e.id()), "duplicate id " + e.id());
            }
        }
        List<Operation> ops = real.operations();
        assertEquals(threads * perThread, ops.size());
        assertTrue(ops.stream().noneMatch(o -> o.outcome() == Outcome.PENDING));
        assertEquals(threads * ((perThread + 2) / 3), ops.stream().filter(Operation::ok).count());
    }
}
