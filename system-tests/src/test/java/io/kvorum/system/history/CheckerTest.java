package io.kvorum.system.history;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CheckerTest {
    /** One write of key "k" with value "v" ending as {@code outcome}; the final read finds {@code read}. */
    static Stream<Arguments> oneWrite() {
        return Stream.of(
                // outcome, final read, category the key lands in, valid
                Arguments.of(Outcome.OK, FinalRead.present("v"), "acked", true),
                Arguments.of(Outcome.OK, FinalRead.absent(), "lost", false),
                Arguments.of(Outcome.OK, FinalRead.present("other"), "lost+unexpected", false),
                Arguments.of(Outcome.OK, null, "unread", false),
                Arguments.of(Outcome.INDETERMINATE, FinalRead.present("v"), "recovered", true),
                Arguments.of(Outcome.INDETERMINATE, FinalRead.absent(), "indeterminateAbsent", true),
                Arguments.of(Outcome.INDETERMINATE, FinalRead.present("other"), "indeterminateAbsent+unexpected", false),
                Arguments.of(Outcome.INDETERMINATE, null, "unread", true),
                Arguments.of(Outcome.PENDING, FinalRead.present("v"), "recovered", true),
                Arguments.of(Outcome.PENDING, FinalRead.absent(), "indeterminateAbsent", true),
                Arguments.of(Outcome.FAIL, FinalRead.absent(), "failed", true),
                Arguments.of(Outcome.FAIL, FinalRead.present("v"), "failedButPresent", false),
                Arguments.of(Outcome.FAIL, FinalRead.present("other"), "failed+unexpected", false));
    }

    @ParameterizedTest(name = "{0} then final read {1} -> {2}")
    @MethodSource("oneWrite")
    void classifiesOneWriteByItsOutcomeAndTheFinalRead(Outcome outcome, FinalRead read, String expected, boolean valid) {
        History h = new History();
        long id = h.invoke("w1", Op.WRITE, "k", "v");
        switch (outcome) {
            case OK -> h.ok(id, null);
            case FAIL -> h.fail(id, "503 applied none");
            case INDETERMINATE -> h.indeterminate(id, "504");
            case PENDING -> {
            }
        }
        Map<String, FinalRead> reads = new HashMap<>();
        if (read != null) {
            reads.put("k", read);
        }

        UniqueKeyReport r = Checker.uniqueKeyWrites(h.operations(), reads);

        Set<String> categories = Set.of(expected.split("\\+"));
        assertEquals(1, r.invoked());
        assertEquals(outcome == Outcome.OK, r.acked().contains("k"), "acked");
        assertEquals(categories.contains("lost"), r.lost().contains("k"), "lost");
        assertEquals(categories.contains("unexpected"), r.unexpected().contains("k"), "unexpected");
        assertEquals(categories.contains("recovered"), r.recovered().contains("k"), "recovered");
        assertEquals(categories.contains("indeterminateAbsent"), r.indeterminateAbsent().contains("k"), "absent");
        assertEquals(categories.contains("failed"), r.failed().contains("k"), "failed");
        assertEquals(categories.contains("failedButPresent"), r.failedButPresent().contains("k"), "failedButPresent");
        assertEquals(categories.contains("unread"), r.unread().contains("k"), "unread");
        assertEquals(valid, r.valid(), r.summary());
    }

    @Test
    void countsAMixedHistory() {
        History h = new History();
        for (int i = 0; i < 10; i++) {
            h.ok(h.invoke("w" + (i % 2), Op.WRITE, "ok" + i, "v" + i), null);
        }
        long i1 = h.invoke("w0", Op.WRITE, "maybe1", "m1");
        long i2 = h.invoke("w1", Op.WRITE, "maybe2", "m2");
        long f1 = h.invoke("w0", Op.WRITE, "failed1", "f1");
        h.invoke("w1", Op.WRITE, "pending1", "p1");
        h.ok(h.invoke("r0", Op.READ, "ok1", null), "v1");
        h.indeterminate(i1, "504");
        h.indeterminate(i2, "read timed out");
        h.fail(f1, "503 applied none");
        Map<String, FinalRead> reads = new HashMap<>();
        for (int i = 0; i < 10; i++) {
            reads.put("ok" + i, FinalRead.present("v" + i));
        }
        reads.put("ok3", FinalRead.absent());
        reads.put("maybe1", FinalRead.present("m1"));
        reads.put("maybe2", FinalRead.absent());
        reads.put("failed1", FinalRead.absent());
        reads.put("pending1", FinalRead.present("p1"));
        reads.put("ghost", FinalRead.present("boo"));
        reads.put("never", FinalRead.absent());

        UniqueKeyReport r = Checker.uniqueKeyWrites(h.operations(), reads);

        assertEquals(14, r.invoked());
        assertEquals(10, r.acked().size());
        assertEquals(Set.of("ok3"), r.lost());
        assertEquals(Set.of("ghost"), r.unexpected());
        assertEquals(Set.of("maybe1", "pending1"), r.recovered());
        assertEquals(Set.of("maybe2"), r.indeterminateAbsent());
        assertEquals(3, r.indeterminate());
        assertEquals(Set.of("failed1"), r.failed());
        assertTrue(r.failedButPresent().isEmpty());
        assertTrue(r.unread().isEmpty());
        assertFalse(r.valid());
        assertEquals("invoked 14, acked 10, lost 1, unexpected 1, indeterminate 3 (recovered 2, absent 1), failed 1,"
                + " failed-but-present 0, unread 0; lost: [ok3]; unexpected: [ghost]", r.summary());
    }

    @Test
    void aCleanRunIsValid() {
        History h = new History();
        h.ok(h.invoke("w0", Op.WRITE, "a", "1"), null);
        h.ok(h.invoke("w0", Op.WRITE, "b", "2"), null);
        UniqueKeyReport r = Checker.uniqueKeyWrites(h.operations(),
                Map.of("a", FinalRead.present("1"), "b", FinalRead.present("2")));
        assertTrue(r.valid(), r.summary());
        assertEquals(0, r.lost().size());
    }

    @Test
    void refusesAHistoryThatWritesAKeyTwice() {
        History h = new History();
        h.ok(h.invoke("w0", Op.WRITE, "a", "1"), null);
        h.fail(h.invoke("w1", Op.WRITE, "a", "2"), "no");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Checker.uniqueKeyWrites(h.operations(), Map.of()));
        assertTrue(e.getMessage().contains("key 'a' is written by operations 1 and 2"), e.getMessage());
    }
}
