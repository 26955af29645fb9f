package io.kvorum.system.history;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The record of what concurrent clients asked and what they were told, in the order it
 * happened: {@link #invoke} before the request is sent, then exactly one of {@link #ok},
 * {@link #fail} or {@link #indeterminate}. Thread-safe; every event carries a wall-clock and a
 * monotonic timestamp taken under the same lock that orders the events.
 */
public final class History {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Clock wall;
    private final LongSupplier monotonicNanos;
    private final List<Event> events = new ArrayList<>();
    private final Map<Long, Event> open = new HashMap<>();
    private long nextId = 1;

    /** A history stamped with the system clocks. */
    public History() {
        this(Clock.systemUTC(), System::nanoTime);
    }

    /** A history stamped with the given clocks (tests give manual ones). */
    public History(Clock wall, LongSupplier monotonicNanos) {
        this.wall = Objects.requireNonNull(wall);
        this.monotonicNanos = Objects.requireNonNull(monotonicNanos);
    }

    /** Records that {@code process} is about to ask for {@code op}; answers the operation's id. */
    public synchronized long invoke(String process, Op op, String key, String value) {
        Objects.requireNonNull(process, "process");
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(key, "key");
        long id = nextId++;
        Event e = new Event(id, Event.INVOKE, process, op, key, value, null, wall.millis(), monotonicNanos.getAsLong());
        events.add(e);
        open.put(id, e);
        return id;
    }

    /** The operation was acknowledged; {@code result} is what a read returned (null: absent). */
    public void ok(long id, String result) {
        complete(id, Event.OK, result, null);
    }

    /** The operation certainly did not take effect. */
    public void fail(long id, String reason) {
        complete(id, Event.FAIL, null, Objects.requireNonNull(reason, "reason"));
    }

    /** The operation may or may not have taken effect. */
    public void indeterminate(long id, String reason) {
        complete(id, Event.INDETERMINATE, null, Objects.requireNonNull(reason, "reason"));
    }

    /** Records something that is not a client operation: a nemesis action, a phase change. */
    public synchronized void note(String process, String text) {
        events.add(new Event(0, Event.NOTE, process, null, null, null, text, wall.millis(), monotonicNanos.getAsLong()));
    }

    private synchronized void complete(long id, String type, String result, String reason) {
        Event invoked = open.remove(id);
        if (invoked == null) {
            throw new IllegalStateException("operation " + id + (id > 0 && id < nextId
                    ? " is already complete" : " was never invoked") + "; cannot record it as " + type);
        }
        events.add(new Event(id, type, invoked.process(), invoked.op(), invoked.key(), result, reason,
                wall.millis(), monotonicNanos.getAsLong()));
    }

    /** A snapshot of every event so far, in order. */
    public synchronized List<Event> events() {
        return List.copyOf(events);
    }

    /** A snapshot of the operations so far, in invocation order, each joined with its completion. */
    public List<Operation> operations() {
        return operations(events());
    }

    /** Joins invocations and completions of a list of events (from a history or a history file). */
    public static List<Operation> operations(List<Event> events) {
        Map<Long, Operation> ops = new LinkedHashMap<>();
        for (Event e : events) {
            switch (e.type()) {
                case Event.INVOKE -> ops.put(e.id(), new Operation(e.id(), e.process(), e.op(), e.key(),
                        e.op() == Op.READ ? null : e.value(), Outcome.PENDING, null, null, e.monotonicNanos(), -1));
                case Event.OK, Event.FAIL, Event.INDETERMINATE -> {
                    Operation o = ops.get(e.id());
                    if (o == null || o.outcome() != Outcome.PENDING) {
                        throw new IllegalArgumentException("completion without a pending invocation: " + e);
                    }
                    Outcome outcome = switch (e.type()) {
                        case Event.OK -> Outcome.OK;
                        case Event.FAIL -> Outcome.FAIL;
                        default -> Outcome.INDETERMINATE;
                    };
                    ops.put(e.id(), new Operation(o.id(), o.process(), o.op(), o.key(), o.value(), outcome,
                            e.value(), e.detail(), o.invokedNanos(), e.monotonicNanos()));
                }
                case Event.NOTE -> {
                }
                default -> throw new IllegalArgumentException("unknown event type: " + e);
            }
        }
        return List.copyOf(ops.values());
    }

    /** Writes the events so far as JSON lines (one {@link Event} per line). */
    public void writeTo(Path file) throws IOException {
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (Event e : events()) {
                w.write(JSON.writeValueAsString(e));
                w.write('\n');
            }
        }
    }

    /** Reads a file written by {@link #writeTo}. */
    public static List<Event> readFrom(Path file) throws IOException {
        List<Event> out = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                out.add(JSON.readValue(line, Event.class));
            }
        }
        return out;
    }
}
