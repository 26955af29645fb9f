package io.kvorum.bench;

/** Picks the index of the next record to touch, in [0, records). Not thread-safe: one per driver. */
public interface KeyChooser {
    long next();

    /** The key name of a record index, the same in the load phase and the run phase. */
    static String keyOf(long index) {
        return "user" + index;
    }
}
