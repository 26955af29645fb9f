package io.kvorum.system.linearizability;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SortedMap;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RegisterHistoryTest {
    private final AtomicLong nanos = new AtomicLong(1_000);
    private final RegisterHistory history = new RegisterHistory(() -> nanos.addAndGet(10));

    @Test
    void recordsEachKindOfCompletionAndLeavesOpenOperationsIndeterminate() {
        long w = history.invokeWrite(0, "k", "a");
        long c = history.invokeCas(1, "k", null, "b");
        long r = history.invokeRead(2, "k");
        long d = history.invokeCas(3, "k", "a", null);
        long f = history.invokeWrite(4, "j", "x");
        long open = history.invokeRead(5, "j");
        history.ok(w);
        history.preconditionFailed(c);
        history.readOk(r, "a");
        history.indeterminate(d);
        history.fail(f);

        List<RegisterOp> ops = history.operations();

        assertEquals(List.of(w, c, r, d, f, open), ops.stream().map(RegisterOp::id).toList());
        assertEquals(RegisterOp.write(w, 0, "k", "a", 1_010, 1_070), ops.get(0));
        assertEquals(RegisterOp.casRejected(c, 1, "k", null, "b", 1_020, 1_080), ops.get(1));
        assertEquals(RegisterOp.read(r, 2, "k", "a", 1_030, 1_090), ops.get(2));
        assertEquals(RegisterOp.Completion.INFO, ops.get(3).completion());
        assertEquals(RegisterOp.Completion.FAIL, ops.get(4).completion());
        assertEquals(RegisterOp.Completion.INFO, ops.get(5).completion());
        assertEquals(-1, ops.get(5).completeNanos());

        CheckResult result = history.check(Budget.DEFAULT);
        assertEquals(Verdict.LINEARIZABLE, result.verdict(), result.explanation());
        assertEquals(2, result.dropped()); // the failed write and the open read
    }

    @Test
    void refusesCompletionsThatDoNotFit() {
        long w = history.invokeWrite(0, "k", "a");
        long r = history.invokeRead(1, "k");
        assertThrows(IllegalArgumentException.class, () -> history.readOk(w, "a"));
        assertThrows(IllegalArgumentException.class, () -> history.preconditionFailed(w));
        assertThrows(IllegalArgumentException.class, () -> history.ok(r));
        history.ok(w);
        IllegalStateException twice = assertThrows(IllegalStateException.class, () -> history.fail(w));
        assertTrue(twice.getMessage().contains("already complete"), twice.getMessage());
        IllegalStateException unknown = assertThrows(IllegalStateException.class, () -> history.ok(99));
        assertTrue(unknown.getMessage().contains("never invoked"), unknown.getMessage());
    }

    @Test
    void aHistoryFileReadsBackEqual(@TempDir Path dir) throws Exception {
        long w = history.invokeWrite(0, "k", "a");
        long del = history.invokeCas(1, "k", "a", null);
        long r = history.invokeRead(2, "k");
        history.invokeCas(3, "k", null, "c");
        history.ok(w);
        history.ok(del);
        history.readOk(r, null);
        Path file = dir.resolve("histories/run-1.jsonl");

        history.writeTo(file);

        List<String> lines = Files.readAllLines(file);
        assertEquals(4, lines.size());
        assertTrue(lines.get(1).contains("\"expected\":\"a\",\"value\":null"), lines.get(1));
        assertEquals(history.operations(), RegisterHistoryFile.read(file));
    }

    @Test
    void splitsByKeyInInvocationOrder() {
        RegisterOp b2 = RegisterOp.write(1, 0, "b", "x", 20, 30);
        RegisterOp a1 = RegisterOp.write(2, 0, "a", "x", 15, 16);
        RegisterOp b1 = RegisterOp.read(3, 1, "b", null, 10, 11);

        SortedMap<String, List<RegisterOp>> byKey = KeyedHistory.split(List.of(b2, a1, b1));

        assertEquals(List.of("a", "b"), List.copyOf(byKey.keySet()));
        assertEquals(List.of(a1), byKey.get("a"));
        assertEquals(List.of(b1, b2), byKey.get("b"));
    }
}
