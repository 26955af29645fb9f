package io.kvorum.system.linearizability;

import java.util.Objects;

/**
 * One operation on a key's register, as a client recorded it: what it asked, when it asked
 * ({@code invokeNanos}), when it heard back ({@code completeNanos}) and what it was told. A
 * register holds one value or nothing; {@code null} stands for nothing (a 404) wherever a value
 * goes.
 *
 * <ul>
 *   <li>{@link Kind#READ}: {@code observed} is what the read returned.</li>
 *   <li>{@link Kind#WRITE}: sets the register to {@code value} whatever it held (null: deletes).</li>
 *   <li>{@link Kind#CAS}: sets the register to {@code value} if it held {@code expected} (null:
 *       if it held nothing, as {@code If-None-Match: *}); a {@code value} of null deletes.</li>
 * </ul>
 *
 * <p>Both timestamps come from one monotonic clock ({@link System#nanoTime()}): {@code invokeNanos}
 * is read before the request is sent, {@code completeNanos} after the answer arrived. An
 * {@link Completion#INFO} operation may take effect at any time after its invocation, so its
 * {@code completeNanos} is ignored (record -1 if it never completed).
 *
 * @param id            an identifier to find the operation again in a report (unique in a history)
 * @param process       the client that ran it
 * @param key           the key whose register it acted on
 * @param kind          read, write or compare-and-set
 * @param expected      what a CAS required the register to hold; null for reads and writes
 * @param value         what a write or CAS set the register to; null for reads
 * @param completion    what the client learned
 * @param observed      what an {@link Completion#OK} read returned; null otherwise
 * @param invokeNanos   monotonic time before the request
 * @param completeNanos monotonic time after the answer; ignored for {@link Completion#INFO}
 */
public record RegisterOp(long id, int process, String key, Kind kind, String expected, String value,
                         Completion completion, String observed, long invokeNanos, long completeNanos) {

    /** What a client asked for. */
    public enum Kind {
        READ,
        WRITE,
        CAS
    }

    /** What a client learned about its operation. */
    public enum Completion {
        /** It took effect: a read returned {@code observed}, a write was applied, a CAS swapped. */
        OK,
        /**
         * A CAS was refused because the register did not hold {@code expected} (HTTP 412). A
         * known result: it took effect as a comparison that did not match, and changed nothing.
         */
        PRECONDITION_FAILED,
        /** It certainly did not take effect (a 400, a 503 that says nothing was applied). Not checked. */
        FAIL,
        /**
         * Unknown (a timeout, a connection reset, a 503 that may have applied it, no answer yet):
         * it may have taken effect at any time after its invocation, or never. Reads are not checked.
         */
        INFO
    }

    public RegisterOp {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(completion, "completion");
        if (kind != Kind.CAS && expected != null) {
            throw new IllegalArgumentException("only a CAS has an expected value: " + kind + " #" + id);
        }
        if (kind == Kind.READ && value != null) {
            throw new IllegalArgumentException("a read writes no value: #" + id);
        }
        if (observed != null && !(kind == Kind.READ && completion == Completion.OK)) {
            throw new IllegalArgumentException("only an OK read observes a value: " + kind + " " + completion
                    + " #" + id);
        }
        if (completion == Completion.PRECONDITION_FAILED && kind != Kind.CAS) {
            throw new IllegalArgumentException("only a CAS fails its precondition: " + kind + " #" + id);
        }
        boolean determinate = completion == Completion.OK || completion == Completion.PRECONDITION_FAILED;
        if (determinate && completeNanos < invokeNanos) {
            throw new IllegalArgumentException("operation #" + id + " completes (" + completeNanos
                    + ") before it is invoked (" + invokeNanos + ")");
        }
    }

    /** An OK read that returned {@code observed} (null: the key was absent). */
    public static RegisterOp read(long id, int process, String key, String observed, long invokeNanos,
                                  long completeNanos) {
        return new RegisterOp(id, process, key, Kind.READ, null, null, Completion.OK, observed, invokeNanos,
                completeNanos);
    }

    /** An OK unconditional write of {@code value} (null: a delete). */
    public static RegisterOp write(long id, int process, String key, String value, long invokeNanos,
                                   long completeNanos) {
        return new RegisterOp(id, process, key, Kind.WRITE, null, value, Completion.OK, null, invokeNanos,
                completeNanos);
    }

    /** A CAS from {@code expected} to {@code value} that swapped (either may be null: absent). */
    public static RegisterOp cas(long id, int process, String key, String expected, String value, long invokeNanos,
                                 long completeNanos) {
        return new RegisterOp(id, process, key, Kind.CAS, expected, value, Completion.OK, null, invokeNanos,
                completeNanos);
    }

    /** A CAS from {@code expected} to {@code value} refused with 412: the register did not hold {@code expected}. */
    public static RegisterOp casRejected(long id, int process, String key, String expected, String value,
                                         long invokeNanos, long completeNanos) {
        return new RegisterOp(id, process, key, Kind.CAS, expected, value, Completion.PRECONDITION_FAILED, null,
                invokeNanos, completeNanos);
    }

    /** This operation with another completion; a read loses its observed value unless it stays OK. */
    public RegisterOp withCompletion(Completion newCompletion, long newCompleteNanos) {
        String keep = kind == Kind.READ && newCompletion == Completion.OK ? observed : null;
        return new RegisterOp(id, process, key, kind, expected, value, newCompletion, keep, invokeNanos,
                newCompleteNanos);
    }

    /** This operation as an indeterminate one: it may have taken effect at any time after its invocation. */
    public RegisterOp indeterminate() {
        return withCompletion(Completion.INFO, -1);
    }

    /** The client learned a result (OK or 412): the operation must be placed in every linearization. */
    public boolean determinate() {
        return completion == Completion.OK || completion == Completion.PRECONDITION_FAILED;
    }

    /** A short description of what was asked and learned, for reports: {@code cas("a" -> "b") 412}. */
    public String describe() {
        String asked = switch (kind) {
            case READ -> "read";
            case WRITE -> "write(" + show(value) + ")";
            case CAS -> "cas(" + show(expected) + " -> " + show(value) + ")";
        };
        String learned = switch (completion) {
            case OK -> kind == Kind.READ ? " -> " + show(observed) : " ok";
            case PRECONDITION_FAILED -> " 412";
            case FAIL -> " failed";
            case INFO -> " indeterminate";
        };
        return "#" + id + " p" + process + " " + asked + learned;
    }

    /** A register value for reports: quoted, or {@code absent}. */
    static String show(String v) {
        return v == null ? "absent" : '"' + v + '"';
    }
}
