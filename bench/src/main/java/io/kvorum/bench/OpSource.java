package io.kvorum.bench;

import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;

/**
 * Where a driver's next operation comes from. Answers null once the phase is over. One per driver,
 * called on that driver's thread; the shared parts (load cursor, operation budget) are atomic.
 */
@FunctionalInterface
interface OpSource {

    /** An operation on a record. */
    record Op(Operation operation, long key) {
    }

    /** The operation meant to start at {@code intendedNanos}, or null when there is none. */
    Op next(long intendedNanos);

    /** The load phase: every record once, in order, shared by all drivers through {@code cursor}. */
    static OpSource load(AtomicLong cursor, long records) {
        return intended -> {
            long key = cursor.getAndIncrement();
            return key < records ? new Op(Operation.INSERT, key) : null;
        };
    }

    /**
     * The measured phase, bounded by time: operations meant to start before {@code endNanos}.
     */
    static OpSource timed(Workload workload, KeyChooser keys, RandomGenerator random, long endNanos) {
        return intended -> intended < endNanos
                ? new Op(workload.operationFor(random.nextDouble()), keys.next()) : null;
    }

    /**
     * The measured phase, bounded by count: operations meant to start before {@code measureFromNanos}
     * are warm-up and free; later ones each take one unit of the shared {@code budget}.
     */
    static OpSource counted(Workload workload, KeyChooser keys, RandomGenerator random, long measureFromNanos,
                            AtomicLong budget) {
        return intended -> intended < measureFromNanos || budget.getAndDecrement() > 0
                ? new Op(workload.operationFor(random.nextDouble()), keys.next()) : null;
    }
}
