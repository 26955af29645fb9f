package io.kvorum.system.linearizability;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hand-made histories of one register whose verdict is known. Times are small numbers of nanoseconds. */
class LinearizabilityCheckerTest {
    private static final String K = "k";
    private long nextId = 1;

    private RegisterOp read(String observed, long invoke, long complete) {
        return RegisterOp.read(nextId++, 0, K, observed, invoke, complete);
    }

    private RegisterOp write(String value, long invoke, long complete) {
        return RegisterOp.write(nextId++, 0, K, value, invoke, complete);
    }

    private RegisterOp cas(String expected, String value, long invoke, long complete) {
        return RegisterOp.cas(nextId++, 0, K, expected, value, invoke, complete);
    }

    private RegisterOp refused(String expected, String value, long invoke, long complete) {
        return RegisterOp.casRejected(nextId++, 0, K, expected, value, invoke, complete);
    }

    private static CheckResult check(RegisterOp... ops) {
        return LinearizabilityChecker.check(List.of(ops), Budget.states(100_000));
    }

    private static void assertLinearizable(RegisterOp... ops) {
        CheckResult r = check(ops);
        assertEquals(Verdict.LINEARIZABLE, r.verdict(), r.explanation());
    }

    /** Asserts the verdict, and that the operation the search could not place is {@code stuck}. */
    private static CheckResult assertNotLinearizable(RegisterOp stuck, RegisterOp... ops) {
        CheckResult r = check(ops);
        assertEquals(Verdict.NOT_LINEARIZABLE, r.verdict(), r.explanation());
        assertEquals(stuck, r.keys().get(0).stuck(), r.explanation());
        return r;
    }

    // ---- linearizable ----

    @Test
    void anEmptyHistoryAndAFirstReadOfNothingAreLinearizable() {
        CheckResult empty = LinearizabilityChecker.check(List.of());
        assertEquals(Verdict.LINEARIZABLE, empty.verdict());
        assertEquals(0, empty.operations());
        assertLinearizable(read(null, 0, 1));
    }

    @Test
    void aSequentialHistoryOfEveryKindOfOperation() {
        RegisterOp[] ops = {
                write("a", 0, 1), read("a", 2, 3), cas("a", "b", 4, 5), read("b", 6, 7),
                refused("a", "c", 8, 9), read("b", 10, 11), cas("b", null, 12, 13), read(null, 14, 15),
                refused("b", "e", 16, 17), cas(null, "d", 18, 19), refused(null, "e", 20, 21), read("d", 22, 23),
                write(null, 24, 25), read(null, 26, 27)};
        CheckResult r = check(ops);
        assertEquals(Verdict.LINEARIZABLE, r.verdict(), r.explanation());
        assertEquals(ops.length, r.operations());
        assertEquals(List.of(ops), r.keys().get(0).linearized());
        assertEquals("", r.keys().get(0).explanation());
    }

    @Test
    void aReadConcurrentWithTwoWritesMaySeeEitherOrNeither() {
        for (String seen : new String[] {null, "a", "b"}) {
            assertLinearizable(write("a", 0, 10), write("b", 1, 11), read(seen, 2, 12));
        }
    }

    @Test
    void readsAfterConcurrentWritesAgreeOnTheLastOne() {
        assertLinearizable(write("a", 0, 10), write("b", 1, 11), read("a", 20, 21), read("a", 22, 23));
        assertLinearizable(write("a", 0, 10), write("b", 1, 11), read("b", 20, 21), read("b", 22, 23));
    }

    @Test
    void readsDuringASlowWriteSeeTheOldValueThenTheNew() {
        assertLinearizable(write("a", 0, 1), write("b", 2, 30), read("a", 3, 4), read("b", 5, 6), read("b", 7, 8));
    }

    @Test
    void aChainOfOverlappingCasesInvokedOutOfOrder() {
        assertLinearizable(cas("2", "3", 0, 20), cas("1", "2", 1, 21), cas(null, "1", 2, 22), read("3", 30, 31));
    }

    @Test
    void a412IsLegalWhenAConcurrentCasWon() {
        assertLinearizable(write("a", 0, 1), cas("a", "b", 2, 10), refused("a", "c", 3, 9), read("b", 11, 12));
    }

    @Test
    void a412IsLegalWhenAConcurrentWriteWon() {
        assertLinearizable(write("y", 0, 10), refused(null, "z", 1, 11), read("y", 12, 13));
    }

    @Test
    void ofTwoCreatesOfTheSameKeyOneMayWin() {
        assertLinearizable(cas(null, "x", 0, 10), refused(null, "y", 1, 11), read("x", 12, 13));
    }

    @Test
    void anIndeterminateWriteMayTakeEffectLongAfterItsTimeout() {
        RegisterOp lost = write("b", 2, 3).indeterminate();
        assertLinearizable(write("a", 0, 1), lost, read("a", 10, 11), read("b", 20, 21), read("b", 30, 31));
    }

    @Test
    void anIndeterminateWriteMayNeverTakeEffect() {
        RegisterOp lost = write("b", 2, 3).indeterminate();
        assertLinearizable(write("a", 0, 1), lost, read("a", 10, 11), read("a", 20, 21));
    }

    @Test
    void anIndeterminateCasMaySwapOrNot() {
        RegisterOp maybe = cas("a", "b", 2, 3).indeterminate();
        assertLinearizable(write("a", 0, 1), maybe, read("b", 10, 11));
        assertLinearizable(write("a", 0, 1), cas("a", "b", 2, 3).indeterminate(), read("a", 10, 11));
        // A CAS whose precondition can never hold is allowed as long as nobody sees its value.
        assertLinearizable(write("a", 0, 1), cas("z", "b", 2, 3).indeterminate(), read("a", 10, 11));
    }

    @Test
    void twoIndeterminateWritesOfOneValueMayBothTakeEffect() {
        assertLinearizable(write("a", 0, 1).indeterminate(), write("a", 0, 1).indeterminate(),
                read("a", 2, 3), write("b", 4, 5), read("a", 6, 7));
        assertLinearizable(write("a", 0, 1).indeterminate(), write("a", 0, 1).indeterminate(),
                read("a", 2, 3), write("b", 4, 5), read("a", 6, 7), read("a", 8, 9));
        RegisterOp third = read("a", 10, 11);
        assertNotLinearizable(third, write("a", 0, 1).indeterminate(), write("a", 0, 1).indeterminate(),
                read("a", 2, 3), write("b", 4, 5), read("a", 6, 7), write("b", 8, 9), third);
    }

    @Test
    void failedOperationsAndIndeterminateReadsAreDropped() {
        RegisterOp failed = write("b", 2, 3).withCompletion(RegisterOp.Completion.FAIL, 3);
        RegisterOp unknownRead = read("zzz", 4, 5).indeterminate();
        CheckResult r = check(write("a", 0, 1), failed, unknownRead, read("a", 6, 7));
        assertEquals(Verdict.LINEARIZABLE, r.verdict(), r.explanation());
        assertEquals(2, r.operations());
        assertEquals(2, r.dropped());
    }

    @Test
    void equalTimestampsAreTakenAsConcurrent() {
        assertLinearizable(write("a", 0, 5), read(null, 5, 6));
    }

    @Test
    void keysAreCheckedSeparately() {
        RegisterOp w = RegisterOp.write(1, 0, "k1", "a", 0, 1);
        RegisterOp r = RegisterOp.read(2, 1, "k2", null, 2, 3);
        CheckResult result = LinearizabilityChecker.check(List.of(w, r));
        assertEquals(Verdict.LINEARIZABLE, result.verdict(), result.explanation());
        assertEquals(List.of("k1", "k2"), result.keys().stream().map(KeyResult::key).toList());
    }

    // ---- not linearizable ----

    @Test
    void aStaleReadAfterACompletedWrite() {
        RegisterOp stale = read("a", 4, 5);
        CheckResult r = assertNotLinearizable(stale, write("a", 0, 1), write("b", 2, 3), stale);
        KeyResult k = r.keys().get(0);
        assertEquals(2, k.linearized().size(), k.explanation());
        assertTrue(k.explanation().contains("Then " + stale.describe()), k.explanation());
        assertTrue(k.explanation().contains("it read \"a\" but the register holds \"b\""), k.explanation());
    }

    @Test
    void aReadOfNothingAfterACompletedWrite() {
        RegisterOp r = read(null, 2, 3);
        assertNotLinearizable(r, write("a", 0, 1), r);
    }

    @Test
    void aReadOfAValueNeverWritten() {
        RegisterOp r = read("zzz", 2, 30);
        assertNotLinearizable(r, write("a", 0, 1), write("b", 3, 4), r);
    }

    @Test
    void aReadOfAFailedWrite() {
        RegisterOp failed = write("b", 2, 3).withCompletion(RegisterOp.Completion.FAIL, 3);
        RegisterOp r = read("b", 4, 5);
        assertNotLinearizable(r, write("a", 0, 1), failed, r);
    }

    @Test
    void twoCreatesOfTheSameKeyBothSucceeding() {
        RegisterOp x = cas(null, "x", 0, 10);
        RegisterOp y = cas(null, "y", 1, 11);
        CheckResult r = check(x, y);
        assertEquals(Verdict.NOT_LINEARIZABLE, r.verdict(), r.explanation());
        assertTrue(r.keys().get(0).stuck() == x || r.keys().get(0).stuck() == y, r.explanation());
    }

    @Test
    void aReadSeesANewValueThenALaterReadSeesTheOlder() {
        RegisterOp older = read("a", 5, 6);
        assertNotLinearizable(older, write("a", 0, 1), write("b", 2, 20), read("b", 3, 4), older);
    }

    @Test
    void anIndeterminateWriteSeenThenUnseen() {
        RegisterOp unseen = read("a", 12, 13);
        assertNotLinearizable(unseen, write("a", 0, 1), write("b", 2, 3).indeterminate(), read("b", 10, 11), unseen);
    }

    @Test
    void anIndeterminateWriteSeenBeforeItWasInvoked() {
        RegisterOp early = read("b", 0, 1);
        assertNotLinearizable(early, early, write("b", 2, 3).indeterminate());
    }

    @Test
    void a412WhenTheRegisterMustHaveHeldTheExpectedValue() {
        RegisterOp r = refused("a", "b", 2, 3);
        assertNotLinearizable(r, write("a", 0, 1), r);
        RegisterOp create = refused(null, "b", 0, 1);
        assertNotLinearizable(create, create);
    }

    @Test
    void aCasThatSwappedAValueTheRegisterDidNotHold() {
        RegisterOp c = cas("b", "c", 2, 3);
        assertNotLinearizable(c, write("a", 0, 1), c);
    }

    @Test
    void aReadOfADeletedValue() {
        RegisterOp r = read("a", 4, 5);
        assertNotLinearizable(r, write("a", 0, 1), cas("a", null, 2, 3), r);
    }

    @Test
    void oneBadKeySpoilsTheHistoryAndIsNamed() {
        RegisterOp good = RegisterOp.write(1, 0, "good", "a", 0, 1);
        RegisterOp bad = RegisterOp.read(2, 1, "bad", "a", 2, 3);
        CheckResult r = LinearizabilityChecker.check(List.of(good, bad));
        assertEquals(Verdict.NOT_LINEARIZABLE, r.verdict(), r.explanation());
        assertEquals(List.of("bad"), r.keys(Verdict.NOT_LINEARIZABLE).stream().map(KeyResult::key).toList());
        assertTrue(r.summary().startsWith("NOT_LINEARIZABLE: 2 keys, 2 operations checked (0 dropped)"), r.summary());
        assertTrue(r.explanation().contains("key \"bad\" is NOT LINEARIZABLE"), r.explanation());
    }

    @Test
    void theExplanationShowsThePrefixAndWhyEachCandidateWasRefused() {
        RegisterOp c = RegisterOp.cas(4, 2, K, "a", "c", 5_000_000, 6_000_000);
        CheckResult r = check(RegisterOp.write(1, 0, K, "a", 0, 1_000_000),
                RegisterOp.write(2, 1, K, "b", 2_000_000, 3_000_000),
                c,
                RegisterOp.read(3, 3, K, "c", 5_500_000, 7_000_000));
        assertEquals(Verdict.NOT_LINEARIZABLE, r.verdict());
        assertEquals(String.join("\n",
                "key \"k\" is NOT LINEARIZABLE (4 operations checked, 2 states explored).",
                "  Longest linearizable prefix found: 2 of 4 operations, after which the register holds \"b\":",
                "    1. #1 p0 write(\"a\") ok [+0.000 ms .. +1.000 ms]  => \"a\"",
                "    2. #2 p1 write(\"b\") ok [+2.000 ms .. +3.000 ms]  => \"b\"",
                "  Then #4 p2 cas(\"a\" -> \"c\") ok [+5.000 ms .. +6.000 ms] must take effect (it completed before"
                        + " any later operation was invoked), but no operation that may go next can:",
                "    #4 p2 cas(\"a\" -> \"c\") ok [+5.000 ms .. +6.000 ms]: it expects \"a\" but the register holds \"b\"",
                "    #3 p3 read -> \"c\" [+5.500 ms .. +7.000 ms]: it read \"c\" but the register holds \"b\""),
                r.keys().get(0).explanation());
    }

    // ---- budget ----

    /**
     * Many concurrent writes, then reads that no order of them can explain: the search has to try
     * every subset of the writes before it can say so.
     */
    private static List<RegisterOp> pathological(int writes) {
        List<RegisterOp> ops = new ArrayList<>();
        for (int i = 0; i < writes; i++) {
            ops.add(RegisterOp.write(i + 1, i, K, "v" + i, i, 1_000));
        }
        ops.add(RegisterOp.read(writes + 1, 0, K, "v0", 2_000, 2_001));
        ops.add(RegisterOp.read(writes + 2, 0, K, "v1", 2_002, 2_003));
        return ops;
    }

    @Test
    void theStateBudgetYieldsUnknownInsteadOfHanging() {
        CheckResult r = assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> LinearizabilityChecker.check(pathological(40), Budget.states(20_000)));
        assertEquals(Verdict.UNKNOWN, r.verdict(), r.explanation());
        KeyResult k = r.keys().get(0);
        assertNull(k.stuck());
        assertTrue(k.explanation().contains("the limit of 20000 states was reached"), k.explanation());
    }

    @Test
    void theTimeLimitYieldsUnknownInsteadOfHanging() {
        long start = System.nanoTime();
        CheckResult r = assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> LinearizabilityChecker.check(pathological(40), new Budget(Long.MAX_VALUE, Duration.ofMillis(100))));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(Verdict.UNKNOWN, r.verdict(), r.explanation());
        assertTrue(r.explanation().contains("the time limit ran out"), r.explanation());
        assertTrue(millis < 2_000, "took " + millis + " ms");
    }

    @Test
    void aSmallEnoughPathologicalHistoryIsDecided() {
        CheckResult r = LinearizabilityChecker.check(pathological(8), Budget.states(100_000));
        assertEquals(Verdict.NOT_LINEARIZABLE, r.verdict(), r.explanation());
    }

    @Test
    void refusesDuplicateIdsAndInconsistentOperations() {
        RegisterOp a = RegisterOp.write(1, 0, K, "a", 0, 1);
        IllegalArgumentException dup = assertThrows(IllegalArgumentException.class,
                () -> LinearizabilityChecker.check(List.of(a, RegisterOp.read(1, 0, K, "a", 2, 3))));
        assertTrue(dup.getMessage().contains("two operations have the id 1"), dup.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RegisterOp.write(2, 0, K, "a", 5, 4));
        assertThrows(IllegalArgumentException.class, () -> new RegisterOp(3, 0, K, RegisterOp.Kind.WRITE, null, "a",
                RegisterOp.Completion.PRECONDITION_FAILED, null, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new RegisterOp(4, 0, K, RegisterOp.Kind.WRITE, "x", "a",
                RegisterOp.Completion.OK, null, 0, 1));
    }
}
