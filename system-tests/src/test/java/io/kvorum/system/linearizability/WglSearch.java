package io.kvorum.system.linearizability;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The search for one register's history: Wing and Gong's algorithm with the memoization of Lowe
 * ("Testing for linearizability", 2017) and Horn and Kroening (2015).
 *
 * <p>The history is a doubly linked list of call and return entries in time order. The search
 * walks it from the front: at a call it tries to linearize that operation now (legal for the
 * register's current value), lifting its call and return out of the list and pushing it on a
 * stack; at a return it has met an operation that completed without being linearized, so it
 * backtracks, undoing the last choice and trying the call after it. Every (set of linearized
 * operations, register value) reached is remembered; reaching one again cannot succeed where it
 * failed before, so that choice is skipped.
 *
 * <p>Indeterminate operations return at +infinity, so they never force a backtrack and may stay
 * unlinearized: the search succeeds once every determinate operation is linearized, leaving out
 * the indeterminate ones that never took effect. An indeterminate CAS is tried only as a swap; one
 * that compared and did not swap changed nothing, the same as leaving it out.
 *
 * <p>Equal timestamps are taken as concurrent (calls sort before returns), the lenient reading.
 */
final class WglSearch {
    private static final int READ = 0;
    private static final int WRITE = 1;
    private static final int CAS = 2;
    private static final int CAS_REFUSED = 3;
    /** The register value id for "absent". */
    private static final int ABSENT = 0;
    /** Operations of a prefix shown in an explanation; the earlier ones are counted. */
    private static final int SHOWN_PREFIX = 20;
    /** How often (loop iterations) the deadline is read. */
    private static final int CLOCK_EVERY = 1024;

    private final String key;
    private final List<RegisterOp> ops;
    private final int n;
    private final int[] code;
    private final int[] expected;
    private final int[] value;
    private final int[] observed;
    private final boolean[] required;
    private final List<String> values = new ArrayList<>();
    private final long originNanos;

    private int bestDepth = -1;
    private int[] bestPrefix = new int[0];
    private int[] bestStatesAfter = new int[0];
    private int bestState = ABSENT;
    private int bestStuck = -1;
    private int[] bestCandidates = new int[0];

    private WglSearch(String key, List<RegisterOp> ops, long originNanos) {
        this.key = key;
        this.ops = ops;
        this.n = ops.size();
        this.originNanos = originNanos;
        code = new int[n];
        expected = new int[n];
        value = new int[n];
        observed = new int[n];
        required = new boolean[n];
        Map<String, Integer> ids = new HashMap<>();
        values.add(null);
        for (int i = 0; i < n; i++) {
            RegisterOp op = ops.get(i);
            code[i] = switch (op.kind()) {
                case READ -> READ;
                case WRITE -> WRITE;
                case CAS -> op.completion() == RegisterOp.Completion.PRECONDITION_FAILED ? CAS_REFUSED : CAS;
            };
            expected[i] = intern(ids, op.expected());
            value[i] = intern(ids, op.value());
            observed[i] = intern(ids, op.observed());
            required[i] = op.determinate();
        }
    }

    private int intern(Map<String, Integer> ids, String v) {
        if (v == null) {
            return ABSENT;
        }
        return ids.computeIfAbsent(v, x -> {
            values.add(x);
            return values.size() - 1;
        });
    }

    /**
     * Checks one key's operations: every one must be OK, PRECONDITION_FAILED, or an
     * indeterminate write or CAS (failed operations and indeterminate reads are dropped before).
     */
    static KeyResult check(String key, List<RegisterOp> ops, long maxStates, long deadlineNanos, long originNanos) {
        return new WglSearch(key, ops, originNanos).run(maxStates, deadlineNanos);
    }

    /** The register's value after op {@code i} takes effect on {@code state}, or -1 if it cannot. */
    private int apply(int i, int state) {
        return switch (code[i]) {
            case READ -> observed[i] == state ? state : -1;
            case WRITE -> value[i];
            case CAS -> expected[i] == state ? value[i] : -1;
            case CAS_REFUSED -> expected[i] == state ? -1 : state;
            default -> throw new IllegalStateException();
        };
    }

    private static final class Entry {
        final int op;
        final boolean call;
        final long time;
        Entry match;
        Entry prev;
        Entry next;

        Entry(int op, boolean call, long time) {
            this.op = op;
            this.call = call;
            this.time = time;
        }
    }

    /** A search state: which operations are linearized, and the register's value. */
    private static final class Config {
        final long[] bits;
        final int state;
        final int hash;

        Config(long[] bits, int state) {
            this.bits = bits;
            this.state = state;
            this.hash = Arrays.hashCode(bits) * 31 + state;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Config c && c.hash == hash && c.state == state && Arrays.equals(c.bits, bits);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    /** The list of entries in time order (calls before returns at equal times), behind a head sentinel. */
    private Entry buildList() {
        List<Entry> entries = new ArrayList<>(2 * n);
        for (int i = 0; i < n; i++) {
            RegisterOp op = ops.get(i);
            Entry call = new Entry(i, true, op.invokeNanos());
            Entry ret = new Entry(i, false, required[i] ? op.completeNanos() : Long.MAX_VALUE);
            call.match = ret;
            entries.add(call);
            entries.add(ret);
        }
        entries.sort(Comparator.<Entry>comparingLong(e -> e.time)
                .thenComparing(e -> !e.call)
                .thenComparingInt(e -> e.op));
        Entry head = new Entry(-1, false, Long.MIN_VALUE);
        Entry last = head;
        for (Entry e : entries) {
            last.next = e;
            e.prev = last;
            last = e;
        }
        return head;
    }

    private static void lift(Entry call) {
        call.prev.next = call.next;
        call.next.prev = call.prev;
        Entry ret = call.match;
        ret.prev.next = ret.next;
        if (ret.next != null) {
            ret.next.prev = ret.prev;
        }
    }

    private static void unlift(Entry call) {
        Entry ret = call.match;
        ret.prev.next = ret;
        if (ret.next != null) {
            ret.next.prev = ret;
        }
        call.prev.next = call;
        call.next.prev = call;
    }

    private KeyResult run(long maxStates, long deadlineNanos) {
        Entry head = buildList();
        BitSet linearized = new BitSet(n);
        Set<Config> seen = new HashSet<>();
        Entry[] stack = new Entry[n];
        int[] stateBefore = new int[n];
        int depth = 0;
        int state = ABSENT;
        int requiredLeft = 0;
        for (boolean r : required) {
            requiredLeft += r ? 1 : 0;
        }
        long iterations = 0;
        Entry entry = head.next;
        while (requiredLeft > 0) {
            if (iterations++ % CLOCK_EVERY == 0 && System.nanoTime() - deadlineNanos > 0) {
                return unknown(seen.size(), "the time limit ran out");
            }
            if (entry.call) {
                int i = entry.op;
                int after = apply(i, state);
                if (after >= 0) {
                    linearized.set(i);
                    if (seen.add(new Config(linearized.toLongArray(), after))) {
                        if (seen.size() > maxStates) {
                            return unknown(seen.size(), "the limit of " + maxStates + " states was reached");
                        }
                        stack[depth] = entry;
                        stateBefore[depth] = state;
                        depth++;
                        state = after;
                        requiredLeft -= required[i] ? 1 : 0;
                        lift(entry);
                        entry = head.next;
                        continue;
                    }
                    linearized.clear(i);
                }
                entry = entry.next;
            } else {
                // The first return in the list: its operation completed, unlinearized, before any
                // operation further on was invoked. Only undoing an earlier choice can help.
                if (entry.time == Long.MAX_VALUE) {
                    throw new IllegalStateException("reached an indeterminate return with determinate operations left");
                }
                deadEnd(head, entry, stack, stateBefore, depth, state);
                if (depth == 0) {
                    return notLinearizable(seen.size());
                }
                depth--;
                Entry undo = stack[depth];
                state = stateBefore[depth];
                linearized.clear(undo.op);
                requiredLeft += required[undo.op] ? 1 : 0;
                unlift(undo);
                entry = undo.next;
            }
        }
        List<RegisterOp> order = new ArrayList<>(depth);
        for (int d = 0; d < depth; d++) {
            order.add(ops.get(stack[d].op));
        }
        return new KeyResult(key, Verdict.LINEARIZABLE, n, seen.size(), order, null, "");
    }

    /** Remembers the deepest dead end: the prefix, the operation it could not place, and the candidates. */
    private void deadEnd(Entry head, Entry stuck, Entry[] stack, int[] stateBefore, int depth, int state) {
        if (depth <= bestDepth) {
            return;
        }
        bestDepth = depth;
        bestPrefix = new int[depth];
        bestStatesAfter = new int[depth];
        for (int d = 0; d < depth; d++) {
            bestPrefix[d] = stack[d].op;
            bestStatesAfter[d] = d + 1 < depth ? stateBefore[d + 1] : state;
        }
        bestState = state;
        bestStuck = stuck.op;
        List<Integer> candidates = new ArrayList<>();
        for (Entry e = head.next; e != stuck; e = e.next) {
            if (e.call) {
                candidates.add(e.op);
            }
        }
        bestCandidates = candidates.stream().mapToInt(Integer::intValue).toArray();
    }

    private List<RegisterOp> bestPrefixOps() {
        return Arrays.stream(bestPrefix).mapToObj(ops::get).toList();
    }

    private KeyResult notLinearizable(long states) {
        StringBuilder sb = new StringBuilder();
        sb.append("key \"").append(key).append("\" is NOT LINEARIZABLE (").append(n)
                .append(" operations checked, ").append(states).append(" states explored).\n");
        appendPrefix(sb);
        sb.append("  Then ").append(describe(bestStuck))
                .append(" must take effect (it completed before any later operation was invoked),")
                .append(" but no operation that may go next can:\n");
        for (int i : bestCandidates) {
            sb.append("    ").append(describe(i)).append(": ").append(refusal(i)).append('\n');
        }
        return new KeyResult(key, Verdict.NOT_LINEARIZABLE, n, states, bestPrefixOps(), ops.get(bestStuck),
                sb.toString().stripTrailing());
    }

    private KeyResult unknown(long states, String why) {
        StringBuilder sb = new StringBuilder();
        sb.append("key \"").append(key).append("\" is UNKNOWN: ").append(why).append(" after ").append(states)
                .append(" states, ").append(n).append(" operations.");
        if (bestDepth >= 0) {
            sb.append(" Deepest dead end so far: ").append(bestDepth).append(" operations linearized, then ")
                    .append(describe(bestStuck)).append(" could not be placed.");
        }
        return new KeyResult(key, Verdict.UNKNOWN, n, states, bestPrefixOps(), null, sb.toString());
    }

    private void appendPrefix(StringBuilder sb) {
        sb.append("  Longest linearizable prefix found: ").append(bestDepth).append(" of ").append(n)
                .append(" operations, after which the register holds ").append(show(bestState)).append(":\n");
        int from = Math.max(0, bestDepth - SHOWN_PREFIX);
        if (from > 0) {
            sb.append("    ... ").append(from).append(" earlier operations\n");
        }
        for (int d = from; d < bestDepth; d++) {
            sb.append("    ").append(d + 1).append(". ").append(describe(bestPrefix[d])).append("  => ")
                    .append(show(bestStatesAfter[d])).append('\n');
        }
    }

    /** Why op {@code i} cannot be linearized on the deepest dead end's register value. */
    private String refusal(int i) {
        int held = bestState;
        return switch (code[i]) {
            case READ -> observed[i] == held ? explored(i) : "it read " + show(observed[i]) + " but the register holds "
                    + show(held);
            case WRITE -> explored(i);
            case CAS -> expected[i] == held ? explored(i) : "it expects " + show(expected[i])
                    + " but the register holds " + show(held);
            case CAS_REFUSED -> expected[i] != held ? explored(i) : "it was refused (412) but the register holds "
                    + show(held) + ", which it expected";
            default -> throw new IllegalStateException();
        };
    }

    private String explored(int i) {
        return "leaves the register holding " + show(apply(i, bestState))
                + ", from which every continuation was already explored without success";
    }

    private String describe(int i) {
        RegisterOp op = ops.get(i);
        String done = op.determinate() ? millis(op.completeNanos()) : "?";
        return op.describe() + " [" + millis(op.invokeNanos()) + " .. " + done + "]";
    }

    private String millis(long nanos) {
        return String.format("+%.3f ms", (nanos - originNanos) / 1e6);
    }

    private String show(int v) {
        return RegisterOp.show(values.get(v));
    }
}
