package io.kvorum.system.linearizability;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random histories, from fixed seeds so that a failure can be replayed: runs of a real register
 * must be linearizable, a corrupted read must not be, and on tiny arbitrary histories the search
 * must agree with trying every order.
 */
class LinearizabilityPropertyTest {
    private static final int RUNS = 150;
    private static final Budget BUDGET = Budget.states(500_000);

    /**
     * A run of real registers: operations take effect one at a time, at points 100 ns apart, on
     * a few keys. Each operation's interval is stretched around its point by up to 250 ns either
     * way, so that several overlap, but an operation that completes before another is invoked
     * always took effect first. One in twenty operations fails without effect; {@code
     * indeterminatePercent} end indeterminate, half of them having taken effect.
     */
    private static List<RegisterOp> registerRun(Random rnd, int keys, int count, int indeterminatePercent) {
        Map<String, String> registers = new HashMap<>();
        List<String> written = new ArrayList<>();
        List<RegisterOp> ops = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String key = "k" + rnd.nextInt(keys);
            String held = registers.get(key);
            long point = (i + 1) * 100L;
            long invoke = point - rnd.nextInt(251);
            long complete = point + rnd.nextInt(251);
            int process = rnd.nextInt(5);
            int fate = rnd.nextInt(100);
            boolean failed = fate < 5;
            boolean indeterminate = fate >= 5 && fate < 5 + indeterminatePercent;
            boolean applied = !failed && !(indeterminate && fate % 2 == 0);
            int kind = rnd.nextInt(10);
            RegisterOp op;
            if (kind < 4) {
                op = RegisterOp.read(i, process, key, held, invoke, complete);
            } else {
                String value = "v" + i;
                if (kind < 6) {
                    op = RegisterOp.write(i, process, key, value, invoke, complete);
                    if (applied) {
                        registers.put(key, value);
                    }
                } else {
                    String expected; // mostly what the register holds, so that most swap
                    if (rnd.nextInt(3) > 0) {
                        expected = held;
                    } else if (rnd.nextBoolean() || written.isEmpty()) {
                        expected = null;
                    } else {
                        expected = written.get(rnd.nextInt(written.size()));
                    }
                    String target = kind == 9 ? null : value;
                    boolean swaps = Objects.equals(expected, held);
                    op = swaps ? RegisterOp.cas(i, process, key, expected, target, invoke, complete)
                            : RegisterOp.casRejected(i, process, key, expected, target, invoke, complete);
                    if (applied && swaps) {
                        registers.put(key, target);
                    }
                }
                written.add(value);
            }
            if (failed) {
                op = op.withCompletion(RegisterOp.Completion.FAIL, complete);
            } else if (indeterminate) {
                op = op.indeterminate();
            }
            ops.add(op);
        }
        return ops;
    }

    @Test
    void runsOfARealRegisterAreLinearizable() {
        for (int seed = 0; seed < RUNS; seed++) {
            Random rnd = new Random(seed);
            List<RegisterOp> history = registerRun(rnd, 1 + rnd.nextInt(3), 20 + rnd.nextInt(100), 10);
            CheckResult r = LinearizabilityChecker.check(history, BUDGET);
            assertEquals(Verdict.LINEARIZABLE, r.verdict(), "seed " + seed + ": " + r.explanation());
            assertEquals(history.size(), r.operations() + r.dropped(), "seed " + seed);
        }
    }

    @Test
    void aReadOfAValueNeverWrittenIsCaught() {
        int corrupted = 0;
        for (int seed = 0; seed < RUNS; seed++) {
            Random rnd = new Random(seed);
            List<RegisterOp> history = new ArrayList<>(registerRun(rnd, 1 + rnd.nextInt(3), 20 + rnd.nextInt(100), 10));
            List<Integer> reads = okReads(history);
            if (reads.isEmpty()) {
                continue;
            }
            RegisterOp read = corrupt(history, reads.get(rnd.nextInt(reads.size())));
            corrupted++;

            CheckResult r = LinearizabilityChecker.check(history, BUDGET);

            assertEquals(Verdict.NOT_LINEARIZABLE, r.verdict(), "seed " + seed + ": " + r.explanation());
            assertEquals(List.of(read.key()), r.keys(Verdict.NOT_LINEARIZABLE).stream().map(KeyResult::key).toList(),
                    "seed " + seed);
        }
        assertTrue(corrupted > RUNS / 2, "only " + corrupted + " runs had a read");
    }

    /**
     * Every indeterminate operation still pending could take effect at any later point, which
     * multiplies the states to refute; the search must not drown in them.
     */
    @Test
    void manyIndeterminateOperationsDoNotStopARefutation() {
        for (int seed = 0; seed < 6; seed++) {
            List<RegisterOp> history = new ArrayList<>(registerRun(new Random(seed), 1, 1_000, 15));
            List<Integer> reads = okReads(history);
            corrupt(history, reads.get(reads.size() * 3 / 4));

            CheckResult r = LinearizabilityChecker.check(history, Budget.states(200_000));

            assertEquals(Verdict.NOT_LINEARIZABLE, r.verdict(), "seed " + seed + ": " + r.summary());
        }
    }

    /** The positions of the OK reads. */
    private static List<Integer> okReads(List<RegisterOp> history) {
        List<Integer> reads = new ArrayList<>();
        for (int i = 0; i < history.size(); i++) {
            RegisterOp op = history.get(i);
            if (op.kind() == RegisterOp.Kind.READ && op.completion() == RegisterOp.Completion.OK) {
                reads.add(i);
            }
        }
        return reads;
    }

    /** Makes the read at {@code position} observe a value nobody wrote; answers the original read. */
    private static RegisterOp corrupt(List<RegisterOp> history, int position) {
        RegisterOp read = history.get(position);
        history.set(position, RegisterOp.read(read.id(), read.process(), read.key(), "never-written",
                read.invokeNanos(), read.completeNanos()));
        return read;
    }

    /**
     * Arbitrary histories of at most {@code size} operations on values a and b, with arbitrary
     * results; about {@code indeterminate} eighths of them indeterminate, one eighth failed.
     */
    private static List<RegisterOp> tinyHistory(Random rnd, int size, int indeterminate) {
        String[] values = {null, "a", "b"};
        int count = 1 + rnd.nextInt(size);
        List<RegisterOp> ops = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long invoke = rnd.nextInt(12);
            long complete = invoke + rnd.nextInt(6);
            String v = values[rnd.nextInt(3)];
            RegisterOp op = switch (rnd.nextInt(4)) {
                case 0 -> RegisterOp.read(i, i, "k", v, invoke, complete);
                case 1 -> RegisterOp.write(i, i, "k", v, invoke, complete);
                case 2 -> RegisterOp.cas(i, i, "k", values[rnd.nextInt(3)], v, invoke, complete);
                default -> RegisterOp.casRejected(i, i, "k", values[rnd.nextInt(3)], v, invoke, complete);
            };
            int fate = rnd.nextInt(8);
            if (fate < indeterminate) {
                op = op.indeterminate();
            } else if (fate == indeterminate) {
                op = op.withCompletion(RegisterOp.Completion.FAIL, complete);
            }
            ops.add(op);
        }
        return ops;
    }

    /** Linearizability by brute force: some order of a superset of the determinate operations. */
    private static boolean bruteForce(List<RegisterOp> history) {
        List<RegisterOp> ops = history.stream().filter(LinearizabilityChecker::checked).toList();
        return place(ops, new boolean[ops.size()], null);
    }

    private static boolean place(List<RegisterOp> ops, boolean[] placed, String held) {
        boolean done = true;
        for (int i = 0; i < ops.size(); i++) {
            done &= placed[i] || !ops.get(i).determinate();
        }
        if (done) {
            return true;
        }
        for (int i = 0; i < ops.size(); i++) {
            if (placed[i] || !mayGoNext(ops, placed, i)) {
                continue;
            }
            RegisterOp op = ops.get(i);
            String after = held;
            boolean legal = switch (op.kind()) {
                case READ -> Objects.equals(op.observed(), held);
                case WRITE -> {
                    after = op.value();
                    yield true;
                }
                case CAS -> {
                    boolean matches = Objects.equals(op.expected(), held);
                    if (op.completion() == RegisterOp.Completion.PRECONDITION_FAILED) {
                        yield !matches;
                    }
                    after = op.value();
                    yield matches;
                }
            };
            if (legal) {
                placed[i] = true;
                boolean found = place(ops, placed, after);
                placed[i] = false;
                if (found) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Every determinate operation that completed before op {@code i} was invoked is placed already. */
    private static boolean mayGoNext(List<RegisterOp> ops, boolean[] placed, int i) {
        for (int j = 0; j < ops.size(); j++) {
            RegisterOp before = ops.get(j);
            if (!placed[j] && before.determinate() && before.completeNanos() < ops.get(i).invokeNanos()) {
                return false;
            }
        }
        return true;
    }

    @Test
    void agreesWithTryingEveryOrderOnTinyHistories() {
        agreesWithTryingEveryOrder(7, 2);
    }

    @Test
    void agreesWithTryingEveryOrderOnTinyHistoriesOfManyIndeterminateOperations() {
        agreesWithTryingEveryOrder(8, 5);
    }

    private static void agreesWithTryingEveryOrder(int size, int indeterminate) {
        int[] verdicts = new int[Verdict.values().length];
        for (int seed = 0; seed < 2_000; seed++) {
            List<RegisterOp> history = tinyHistory(new Random(seed), size, indeterminate);
            CheckResult r = LinearizabilityChecker.check(history, BUDGET);
            Verdict expected = bruteForce(history) ? Verdict.LINEARIZABLE : Verdict.NOT_LINEARIZABLE;
            assertEquals(expected, r.verdict(), "seed " + seed + ": " + history + "\n" + r.explanation());
            verdicts[r.verdict().ordinal()]++;
        }
        assertTrue(verdicts[Verdict.LINEARIZABLE.ordinal()] > 200, "linearizable: " + verdicts[0]);
        assertTrue(verdicts[Verdict.NOT_LINEARIZABLE.ordinal()] > 200, "not linearizable: " + verdicts[1]);
    }
}
