package io.kvorum.system.linearizability;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The search for one register's history: Wing and Gong's algorithm with the memoization of Lowe
 * ("Testing for linearizability", 2017) and Horn and Kroening (2015).
 *
 * <p>The determinate operations (OK, or refused with 412) are a doubly linked list of call and
 * return entries in time order. The search walks it from the front: at a call it tries to
 * linearize that operation now (legal for the register's current value), lifting its call and
 * return out of the list and pushing it on a stack; at a return it has met an operation that
 * completed without being linearized, so it backtracks, undoing the last choice and trying the
 * candidate after it. Every (set of linearized operations, register value) reached is remembered;
 * reaching one again cannot succeed where it failed before, so that choice is skipped.
 *
 * <p>Indeterminate operations never return: they may take effect at any time after their
 * invocation, or never. They are kept in a second list, by invocation, and are tried only once
 * no determinate candidate is left at that point; the search succeeds once every determinate
 * operation is linearized, leaving out the indeterminate ones that never took effect. Since one
 * left out can still be added later, a state with fewer of them linearized can do all that one
 * with more can: a state is skipped if it was reached before with a subset of its indeterminate
 * operations. Without this each pending indeterminate operation would double the states to
 * explore. An indeterminate CAS is tried only as a swap; one that compared and did not swap
 * changed nothing, the same as leaving it out.
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
    /**
     * The id of every value that no read observes and no CAS expects. They all behave alike: on
     * any of them every read and every swap fails and every 412 holds, so one id stands for all.
     */
    private static final int UNOBSERVED = 1;
    /** Operations of a prefix shown in an explanation; the earlier ones are counted. */
    private static final int SHOWN_PREFIX = 20;
    /** Indeterminate candidates shown in an explanation; the others are counted. */
    private static final int SHOWN_OPTIONAL = 10;
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
    /**
     * For each value id, how many operations not linearized yet observe it (reads) or expect it
     * (CASes). Once none does, the value is as good as {@link #UNOBSERVED}.
     */
    private final int[] references;
    /** For an indeterminate operation, the latest one invoked before it with the same effect, or -1. */
    private final int[] sameEffectBefore;
    private final long originNanos;

    private int bestDepth = -1;
    private int[] bestPrefix = new int[0];
    private int bestStuck = -1;
    /** The determinate candidates first, then the indeterminate ones. */
    private int[] bestCandidates = new int[0];
    private int bestDeterminateCandidates;

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
        rank = new int[n];
        stack = new Entry[n];
        stateBefore = new int[n];
        sameEffectBefore = new int[n];
        Set<String> observable = new HashSet<>();
        for (RegisterOp op : ops) {
            if (op.observed() != null) {
                observable.add(op.observed());
            }
            if (op.expected() != null) {
                observable.add(op.expected());
            }
        }
        Map<String, Integer> ids = new HashMap<>();
        for (int i = 0; i < n; i++) {
            RegisterOp op = ops.get(i);
            code[i] = switch (op.kind()) {
                case READ -> READ;
                case WRITE -> WRITE;
                case CAS -> op.completion() == RegisterOp.Completion.PRECONDITION_FAILED ? CAS_REFUSED : CAS;
            };
            expected[i] = intern(ids, observable, op.expected());
            value[i] = intern(ids, observable, op.value());
            observed[i] = intern(ids, observable, op.observed());
            required[i] = op.determinate();
        }
        references = new int[ids.size() + 2];
        for (int i = 0; i < n; i++) {
            reference(i, 1);
        }
    }

    /** Counts (delta 1) or uncounts (-1) op {@code i}'s reference to a value. */
    private void reference(int i, int delta) {
        if (code[i] == READ) {
            references[observed[i]] += delta;
        } else if (code[i] != WRITE) {
            references[expected[i]] += delta;
        }
    }

    private static int intern(Map<String, Integer> ids, Set<String> observable, String v) {
        if (v == null) {
            return ABSENT;
        }
        if (!observable.contains(v)) {
            return UNOBSERVED;
        }
        return ids.computeIfAbsent(v, x -> ids.size() + 2);
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

    /**
     * A call or return of a determinate operation in the time-ordered list, or (with
     * {@code optional}) the invocation of an indeterminate one in the list of those not linearized.
     */
    private static final class Entry {
        final int op;
        final boolean call;
        final boolean optional;
        final long time;
        Entry match;
        Entry prev;
        Entry next;

        Entry(int op, boolean call, boolean optional, long time) {
            this.op = op;
            this.call = call;
            this.optional = optional;
            this.time = time;
        }
    }

    /**
     * The determinate part of a search state, compactly: every operation before {@code first} in
     * return order is linearized, {@code window} says which after it are (only operations invoked
     * before {@code first} returned can be, so it is short); and the register's value.
     */
    private static final class DeterminateKey {
        final int first;
        final long[] window;
        final int state;
        final int hash;

        DeterminateKey(int first, long[] window, int state) {
            this.first = first;
            this.window = window;
            this.state = state;
            this.hash = (Arrays.hashCode(window) * 31 + first) * 31 + state;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof DeterminateKey k && k.hash == hash && k.first == first && k.state == state
                    && Arrays.equals(k.window, window);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    /** Determinate operations in return order: an index into {@link #determinateDone}. */
    private final int[] rank;
    /** The determinate operations linearized, by return order. */
    private final BitSet determinateDone = new BitSet();
    /** The indeterminate operations linearized, by invocation order. */
    private final BitSet optionalDone = new BitSet();
    /**
     * The states reached: for each determinate part, the sets of indeterminate operations it was
     * reached with, none a subset of another.
     */
    private final Map<DeterminateKey, List<long[]>> seen = new HashMap<>();
    private long states;
    private Entry head;
    private Entry optionalHead;
    private final Entry[] stack;
    private final int[] stateBefore;
    private int depth;
    private int state = ABSENT;

    /**
     * Builds the list of determinate calls and returns in time order (calls before returns at
     * equal times) and the list of indeterminate invocations, each behind a sentinel.
     */
    private void buildLists() {
        List<Entry> entries = new ArrayList<>();
        List<Entry> optional = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            RegisterOp op = ops.get(i);
            if (required[i]) {
                Entry call = new Entry(i, true, false, op.invokeNanos());
                call.match = new Entry(i, false, false, op.completeNanos());
                entries.add(call);
                entries.add(call.match);
            } else {
                optional.add(new Entry(i, true, true, op.invokeNanos()));
            }
        }
        Comparator<Entry> byTime = Comparator.<Entry>comparingLong(e -> e.time)
                .thenComparing(e -> !e.call)
                .thenComparingInt(e -> e.op);
        entries.sort(byTime);
        optional.sort(byTime);
        int returns = 0;
        for (Entry e : entries) {
            if (!e.call) {
                rank[e.op] = returns++;
            }
        }
        Map<List<Integer>, Integer> latestWithEffect = new HashMap<>();
        for (int i = 0; i < optional.size(); i++) {
            int op = optional.get(i).op;
            rank[op] = i;
            Integer before = latestWithEffect.put(List.of(code[op], expected[op], value[op]), op);
            sameEffectBefore[op] = before == null ? -1 : before;
        }
        head = link(entries);
        optionalHead = link(optional);
    }

    private static Entry link(List<Entry> entries) {
        Entry sentinel = new Entry(-1, false, false, Long.MIN_VALUE);
        Entry last = sentinel;
        for (Entry e : entries) {
            last.next = e;
            e.prev = last;
            last = e;
        }
        return sentinel;
    }

    /** Takes an operation out of its list: a determinate one's call and return, an indeterminate one's invocation. */
    private static void lift(Entry e) {
        unlink(e);
        if (e.match != null) {
            unlink(e.match);
        }
    }

    private static void unlink(Entry e) {
        e.prev.next = e.next;
        if (e.next != null) {
            e.next.prev = e.prev;
        }
    }

    /** Undoes the latest {@link #lift} (lifts are undone in reverse order, so the links still hold). */
    private static void unlift(Entry e) {
        if (e.match != null) {
            relink(e.match);
        }
        relink(e);
    }

    private static void relink(Entry e) {
        e.prev.next = e;
        if (e.next != null) {
            e.next.prev = e;
        }
    }

    private BitSet doneSet(Entry e) {
        return e.optional ? optionalDone : determinateDone;
    }

    /**
     * Linearizes {@code e} next if it is legal and leads to a state not reached before. A state
     * reached before with a subset of its indeterminate operations linearized counts as reached:
     * it can do all this one can, since an indeterminate operation left out may still be added
     * later or never, and if it failed (or is being explored above) this one cannot do better.
     */
    private boolean tryLinearize(Entry e) {
        if (e.optional && sameEffectBefore[e.op] >= 0 && !optionalDone.get(rank[sameEffectBefore[e.op]])) {
            // Indeterminate operations with the same effect differ only in when they were invoked,
            // and the earlier one is available whenever the later one is: use them in that order.
            return false;
        }
        int after = apply(e.op, state);
        if (after < 0) {
            return false;
        }
        BitSet done = doneSet(e);
        done.set(rank[e.op]);
        reference(e.op, -1);
        if (!remember(after)) {
            done.clear(rank[e.op]);
            reference(e.op, 1);
            return false;
        }
        stack[depth] = e;
        stateBefore[depth] = state;
        depth++;
        state = after;
        lift(e);
        return true;
    }

    /** Undoes the latest linearization; answers the operation undone. */
    private Entry undo() {
        depth--;
        Entry e = stack[depth];
        state = stateBefore[depth];
        doneSet(e).clear(rank[e.op]);
        reference(e.op, 1);
        unlift(e);
        return e;
    }

    /**
     * Records the state reached with the register holding {@code after}; false if it (or one
     * that dominates it) was reached before. A value that no operation left observes or expects
     * is recorded as {@link #UNOBSERVED}: what remains can tell it from no other such value.
     */
    private boolean remember(int after) {
        int first = determinateDone.nextClearBit(0);
        long[] window = determinateDone.get(first, Math.max(first, determinateDone.length())).toLongArray();
        long[] optional = optionalDone.toLongArray();
        int held = references[after] == 0 ? UNOBSERVED : after;
        List<long[]> reached = seen.computeIfAbsent(new DeterminateKey(first, window, held), k -> new ArrayList<>(1));
        for (long[] r : reached) {
            if (subset(r, optional)) {
                return false;
            }
        }
        reached.removeIf(r -> subset(optional, r));
        reached.add(optional);
        states++;
        return true;
    }

    private static boolean subset(long[] a, long[] b) {
        for (int i = 0; i < a.length; i++) {
            if ((a[i] & ~(i < b.length ? b[i] : 0)) != 0) {
                return false;
            }
        }
        return true;
    }

    /** The first return in the determinate list: the earliest completion not linearized. */
    private Entry firstReturn() {
        Entry e = head.next;
        while (e.call) {
            e = e.next;
        }
        return e;
    }

    /**
     * The search. Candidates to go next are the determinate operations invoked before the first
     * return in the list, tried first, then the indeterminate ones invoked by then. When none is
     * left, the operation of that first return can no longer be placed, and the search backtracks.
     */
    private KeyResult run(long maxStates, long deadlineNanos) {
        buildLists();
        int requiredLeft = 0;
        for (boolean r : required) {
            requiredLeft += r ? 1 : 0;
        }
        long iterations = 0;
        Entry entry = head.next;
        boolean optionalPhase = false;
        Entry firstReturn = null;
        while (requiredLeft > 0) {
            if (iterations++ % CLOCK_EVERY == 0 && System.nanoTime() - deadlineNanos > 0) {
                return unknown("the time limit ran out");
            }
            boolean linearized;
            if (!optionalPhase) {
                if (!entry.call) {
                    optionalPhase = true;
                    firstReturn = entry;
                    entry = optionalHead.next;
                    continue;
                }
                linearized = tryLinearize(entry);
            } else if (entry != null && entry.time <= firstReturn.time) {
                linearized = tryLinearize(entry);
            } else {
                // No candidate is left: the first return's operation completed before anything
                // further was invoked, and cannot be placed. Only undoing an earlier choice can help.
                deadEnd(firstReturn);
                if (depth == 0) {
                    return notLinearizable();
                }
                Entry undone = undo();
                requiredLeft += undone.optional ? 0 : 1;
                optionalPhase = undone.optional;
                firstReturn = optionalPhase ? firstReturn() : null;
                entry = undone.next;
                continue;
            }
            if (linearized) {
                if (states > maxStates) {
                    return unknown("the limit of " + maxStates + " states was reached");
                }
                requiredLeft -= entry.optional ? 0 : 1;
                optionalPhase = false;
                entry = head.next;
            } else {
                entry = entry.next;
            }
        }
        List<RegisterOp> order = new ArrayList<>(depth);
        for (int d = 0; d < depth; d++) {
            order.add(ops.get(stack[d].op));
        }
        return new KeyResult(key, Verdict.LINEARIZABLE, n, states, order, null, "");
    }

    /** Remembers the deepest dead end: the prefix, the operation it could not place, and the candidates. */
    private void deadEnd(Entry stuck) {
        if (depth <= bestDepth) {
            return;
        }
        bestDepth = depth;
        bestPrefix = new int[depth];
        for (int d = 0; d < depth; d++) {
            bestPrefix[d] = stack[d].op;
        }
        bestStuck = stuck.op;
        List<Integer> candidates = new ArrayList<>();
        for (Entry e = head.next; e != stuck; e = e.next) {
            if (e.call) {
                candidates.add(e.op);
            }
        }
        bestDeterminateCandidates = candidates.size();
        for (Entry e = optionalHead.next; e != null && e.time <= stuck.time; e = e.next) {
            candidates.add(e.op);
        }
        bestCandidates = candidates.stream().mapToInt(Integer::intValue).toArray();
    }

    private List<RegisterOp> bestPrefixOps() {
        return Arrays.stream(bestPrefix).mapToObj(ops::get).toList();
    }

    private KeyResult notLinearizable() {
        StringBuilder sb = new StringBuilder();
        sb.append("key \"").append(key).append("\" is NOT LINEARIZABLE (").append(n)
                .append(" operations checked, ").append(states).append(" states explored).\n");
        appendPrefix(sb);
        sb.append("  Then ").append(describe(bestStuck))
                .append(" must take effect (it completed before any later operation was invoked),")
                .append(" but no operation that may go next can:\n");
        String held = replay().get(bestDepth);
        int shown = Math.min(bestCandidates.length, bestDeterminateCandidates + SHOWN_OPTIONAL);
        for (int c = 0; c < shown; c++) {
            int i = bestCandidates[c];
            sb.append("    ").append(describe(i)).append(": ").append(refusal(i, held)).append('\n');
        }
        if (shown < bestCandidates.length) {
            sb.append("    ... and ").append(bestCandidates.length - shown).append(" more indeterminate operations\n");
        }
        return new KeyResult(key, Verdict.NOT_LINEARIZABLE, n, states, bestPrefixOps(), ops.get(bestStuck),
                sb.toString().stripTrailing());
    }

    private KeyResult unknown(String why) {
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
        List<String> held = replay();
        sb.append("  Longest linearizable prefix found: ").append(bestDepth).append(" of ").append(n)
                .append(" operations, after which the register holds ").append(RegisterOp.show(held.get(bestDepth)))
                .append(":\n");
        int from = Math.max(0, bestDepth - SHOWN_PREFIX);
        if (from > 0) {
            sb.append("    ... ").append(from).append(" earlier operations\n");
        }
        for (int d = from; d < bestDepth; d++) {
            sb.append("    ").append(d + 1).append(". ").append(describe(bestPrefix[d])).append("  => ")
                    .append(RegisterOp.show(held.get(d + 1))).append('\n');
        }
    }

    /** The register's value before the deepest prefix and after each of its operations. */
    private List<String> replay() {
        List<String> held = new ArrayList<>();
        held.add(null);
        for (int i : bestPrefix) {
            held.add(after(ops.get(i), held.get(held.size() - 1)));
        }
        return held;
    }

    /** The register's value after a linearized operation. */
    private static String after(RegisterOp op, String held) {
        return switch (op.kind()) {
            case READ -> held;
            case WRITE -> op.value();
            case CAS -> op.completion() == RegisterOp.Completion.PRECONDITION_FAILED ? held : op.value();
        };
    }

    /** Why op {@code i} cannot follow the deepest prefix, after which the register holds {@code held}. */
    private String refusal(int i, String held) {
        RegisterOp op = ops.get(i);
        boolean matches = Objects.equals(op.kind() == RegisterOp.Kind.READ ? op.observed() : op.expected(), held);
        return switch (code[i]) {
            case READ -> matches ? explored(op, held) : "it read " + RegisterOp.show(op.observed())
                    + " but the register holds " + RegisterOp.show(held);
            case WRITE -> explored(op, held);
            case CAS -> matches ? explored(op, held) : "it expects " + RegisterOp.show(op.expected())
                    + " but the register holds " + RegisterOp.show(held);
            case CAS_REFUSED -> !matches ? explored(op, held) : "it was refused (412) but the register holds "
                    + RegisterOp.show(held) + ", which it expected";
            default -> throw new IllegalStateException();
        };
    }

    private static String explored(RegisterOp op, String held) {
        return "leaves the register holding " + RegisterOp.show(after(op, held))
                + ", a state from which the search already failed";
    }

    private String describe(int i) {
        RegisterOp op = ops.get(i);
        String done = op.determinate() ? millis(op.completeNanos()) : "?";
        return op.describe() + " [" + millis(op.invokeNanos()) + " .. " + done + "]";
    }

    private String millis(long nanos) {
        return String.format("+%.3f ms", (nanos - originNanos) / 1e6);
    }

}
