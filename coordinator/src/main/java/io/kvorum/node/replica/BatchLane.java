package io.kvorum.node.replica;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * When to send which messages to one peer: coalescing without a timer. A message
 * {@linkplain #offer offered} while fewer than {@code maxInFlight} batches are on their way leaves
 * at once, alone; otherwise it waits, and when a batch comes back the waiting messages leave
 * together, up to {@code maxOps} messages and {@code maxBytes} bytes per batch (a single larger
 * message leaves alone). An idle peer thus adds no delay, and a busy one gets fewer, larger
 * exchanges.
 *
 * <p>A message {@linkplain #add added} instead of offered waits for a {@link #flush()}, which the
 * caller runs once the work at hand is done (on an event loop: after the current task), so that
 * the messages added meanwhile leave together instead of one by one: {@code add} answers true to
 * the one caller that must arrange that flush.
 *
 * <p>Thread-safe; it only decides, the caller sends.
 */
public final class BatchLane<T> {
    private final int maxInFlight;
    private final int maxOps;
    private final long maxBytes;
    private final ToIntFunction<T> size;
    private final ArrayDeque<T> waiting = new ArrayDeque<>();
    private int inFlight;
    private boolean flushPending;

    public BatchLane(int maxInFlight, int maxOps, long maxBytes, ToIntFunction<T> size) {
        if (maxInFlight < 1 || maxOps < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("maxInFlight, maxOps and maxBytes must be >= 1");
        }
        this.maxInFlight = maxInFlight;
        this.maxOps = maxOps;
        this.maxBytes = maxBytes;
        this.size = size;
    }

    /** Adds a message; answers the batch to send now, or an empty list when it must wait. */
    public synchronized List<T> offer(T message) {
        waiting.add(message);
        return inFlight < maxInFlight ? take() : List.of();
    }

    /**
     * Adds a message that leaves at the next {@link #flush()} (or when a batch comes back, if the
     * lane is full). True when the caller must arrange that flush: no flush is pending yet and
     * the lane has room.
     */
    public synchronized boolean add(T message) {
        waiting.add(message);
        if (flushPending || inFlight >= maxInFlight) {
            return false;
        }
        flushPending = true;
        return true;
    }

    /**
     * The next batch to send now: the waiting messages, if the lane has room, or an empty list.
     * Call it until it answers an empty list (the waiting messages may fill several batches).
     */
    public synchronized List<T> flush() {
        flushPending = false;
        return inFlight < maxInFlight && !waiting.isEmpty() ? take() : List.of();
    }

    /** A batch came back (answered or failed); answers the next batch to send, or an empty list. */
    public synchronized List<T> done() {
        if (inFlight <= 0) {
            throw new IllegalStateException("done() without a batch in flight");
        }
        inFlight--;
        return waiting.isEmpty() ? List.of() : take();
    }

    public synchronized int waiting() {
        return waiting.size();
    }

    public synchronized int inFlight() {
        return inFlight;
    }

    public synchronized boolean flushPending() {
        return flushPending;
    }

    private List<T> take() {
        List<T> batch = new ArrayList<>(Math.min(waiting.size(), maxOps));
        long bytes = 0;
        while (!waiting.isEmpty() && batch.size() < maxOps) {
            int next = size.applyAsInt(waiting.peek());
            if (!batch.isEmpty() && bytes + next > maxBytes) {
                break;
            }
            bytes += next;
            batch.add(waiting.poll());
        }
        inFlight++;
        return batch;
    }
}
