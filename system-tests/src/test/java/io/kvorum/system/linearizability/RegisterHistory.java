package io.kvorum.system.linearizability;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Records register operations as concurrent clients run them: {@code invoke...} just before the
 * request is sent, then exactly one completion once the client knows what happened. Thread-safe;
 * timestamps are read under the lock that orders the records, so a completion recorded before an
 * invocation always has the earlier time.
 *
 * <p>Operations not completed yet are reported as {@link RegisterOp.Completion#INFO}: they may
 * still take effect.
 */
public final class RegisterHistory {
    private final LongSupplier nanos;
    private final List<RegisterOp> ops = new ArrayList<>();
    private final Map<Long, Integer> open = new HashMap<>();

    /** A history stamped with {@link System#nanoTime()}. */
    public RegisterHistory() {
        this(System::nanoTime);
    }

    /** A history stamped with the given monotonic clock (tests give a manual one). */
    public RegisterHistory(LongSupplier nanos) {
        this.nanos = Objects.requireNonNull(nanos);
    }

    /** Records that {@code process} is about to read {@code key}; answers the operation's id. */
    public long invokeRead(int process, String key) {
        return invoke(process, key, RegisterOp.Kind.READ, null, null);
    }

    /** Records that {@code process} is about to write {@code value} (null: delete) to {@code key}. */
    public long invokeWrite(int process, String key, String value) {
        return invoke(process, key, RegisterOp.Kind.WRITE, null, value);
    }

    /**
     * Records that {@code process} is about to set {@code key} to {@code value} if it holds
     * {@code expected}; either may be null: absent.
     */
    public long invokeCas(int process, String key, String expected, String value) {
        return invoke(process, key, RegisterOp.Kind.CAS, expected, value);
    }

    private synchronized long invoke(int process, String key, RegisterOp.Kind kind, String expected, String value) {
        long id = ops.size() + 1;
        ops.add(new RegisterOp(id, process, key, kind, expected, value, RegisterOp.Completion.INFO, null,
                nanos.getAsLong(), -1));
        open.put(id, ops.size() - 1);
        return id;
    }

    /** The read returned {@code observed} (null: the key was absent). */
    public void readOk(long id, String observed) {
        complete(id, RegisterOp.Completion.OK, observed, RegisterOp.Kind.READ);
    }

    /** The write was applied, or the CAS swapped. */
    public void ok(long id) {
        complete(id, RegisterOp.Completion.OK, null, null);
    }

    /** The CAS was refused with 412: the register did not hold what it expected. */
    public void preconditionFailed(long id) {
        complete(id, RegisterOp.Completion.PRECONDITION_FAILED, null, RegisterOp.Kind.CAS);
    }

    /** The operation certainly did not take effect. */
    public void fail(long id) {
        complete(id, RegisterOp.Completion.FAIL, null, null);
    }

    /** The operation may or may not have taken effect. */
    public void indeterminate(long id) {
        complete(id, RegisterOp.Completion.INFO, null, null);
    }

    private synchronized void complete(long id, RegisterOp.Completion completion, String observed,
                                       RegisterOp.Kind requiredKind) {
        Integer index = open.get(id);
        if (index == null) {
            throw new IllegalStateException("operation " + id + (id > 0 && id <= ops.size()
                    ? " is already complete" : " was never invoked") + "; cannot record it as " + completion);
        }
        RegisterOp o = ops.get(index);
        if (requiredKind != null && o.kind() != requiredKind) {
            throw new IllegalArgumentException("operation " + id + " is a " + o.kind() + ", not a " + requiredKind);
        }
        if (requiredKind == null && completion == RegisterOp.Completion.OK && o.kind() == RegisterOp.Kind.READ) {
            throw new IllegalArgumentException("operation " + id + " is a read: record what it returned with readOk");
        }
        ops.set(index, new RegisterOp(o.id(), o.process(), o.key(), o.kind(), o.expected(), o.value(), completion,
                observed, o.invokeNanos(), nanos.getAsLong()));
        open.remove(id);
    }

    /** A snapshot of the operations so far, in invocation order; those still open are INFO. */
    public synchronized List<RegisterOp> operations() {
        return List.copyOf(ops);
    }

    /** Checks the operations so far. */
    public CheckResult check(Budget budget) {
        return LinearizabilityChecker.check(operations(), budget);
    }

    /** Writes the operations so far as JSON lines (see {@link RegisterHistoryFile}). */
    public void writeTo(Path file) throws IOException {
        RegisterHistoryFile.write(file, operations());
    }
}
