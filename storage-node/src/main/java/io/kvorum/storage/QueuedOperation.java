package io.kvorum.storage;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * One operation waiting in {@link MapDbStorageEngine}'s queue: the writer thread runs it, then
 * completes (or fails) its future once the batch it belongs to is as durable as required.
 */
final class QueuedOperation<T> {
    /** The marker that close() puts last in the queue. */
    static final QueuedOperation<Void> CLOSE = new QueuedOperation<>(() -> null);

    final CompletableFuture<T> future = new CompletableFuture<>();
    /** For a read of one record: its encoded key; null for any other operation. */
    final ByteBuffer readKey;
    /** For a write of one record: its encoded key; null for any other operation. */
    final ByteBuffer writeKey;
    /** Non-null for a group: operations handed over together, which the writer takes as one. */
    final List<QueuedOperation<?>> group;
    private final Supplier<T> action;
    private T result;
    private Throwable error;

    QueuedOperation(Supplier<T> action) {
        this(action, null, null);
    }

    QueuedOperation(Supplier<T> action, ByteBuffer readKey, ByteBuffer writeKey) {
        this.action = action;
        this.readKey = readKey;
        this.writeKey = writeKey;
        this.group = null;
    }

    private QueuedOperation(List<QueuedOperation<?>> group) {
        this.action = () -> null;
        this.readKey = null;
        this.writeKey = null;
        this.group = List.copyOf(group);
    }

    /** One queue entry for several operations, so that the writer takes them all in one batch. */
    static QueuedOperation<Void> group(List<QueuedOperation<?>> operations) {
        return new QueuedOperation<>(operations);
    }

    /** Runs the action, keeping its result or exception for {@link #complete()}. */
    void run(Throwable engineFailure) {
        if (engineFailure != null) {
            error = new StorageException("storage engine failed earlier: " + engineFailure, engineFailure);
            return;
        }
        try {
            result = action.get();
        } catch (Throwable t) {
            error = t;
        }
    }

    void complete() {
        if (error != null) {
            future.completeExceptionally(error);
        } else {
            future.complete(result);
        }
    }

    void fail(Throwable t) {
        if (group != null) {
            group.forEach(op -> op.fail(t));
        }
        error = t;
        future.completeExceptionally(t);
    }
}
