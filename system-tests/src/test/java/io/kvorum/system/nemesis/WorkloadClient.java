package io.kvorum.system.nemesis;

import io.kvorum.system.NodeProcess;
import io.kvorum.system.history.FinalRead;
import io.kvorum.system.history.History;
import io.kvorum.system.history.Op;
import io.kvorum.system.history.Outcome;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The key-value API as a workload uses it: every request is recorded in a {@link History}
 * (invoke before sending, then ok, fail or indeterminate as {@link ReplyClassifier} decides), and
 * sent through a {@link LoopbackClient}, from outside every partition. Thread-safe.
 */
public final class WorkloadClient {
    private final LoopbackClient http;
    private final History history;

    public WorkloadClient(LoopbackClient http, History history) {
        this.http = http;
        this.history = history;
    }

    /**
     * Writes {@code value} (text/plain) to {@code bucket/key} through {@code coordinator}.
     *
     * @param consistency   the W level ({@code ONE}, {@code QUORUM}, {@code ALL}, a number)
     * @param timeoutMillis the node's request deadline ({@code timeout=}); the client waits longer
     */
    public Outcome write(String process, NodeProcess coordinator, String bucket, String key, String value,
                         String consistency, long timeoutMillis) {
        return writeWithReply(process, coordinator, bucket, key, value, consistency, timeoutMillis).outcome();
    }

    /** What a write was told: its outcome, and the reply (null when no complete response arrived). */
    public record Written(Outcome outcome, HttpReply reply) {
    }

    /** As {@link #write}, also answering the reply, e.g. for its {@code X-Kvorum-Quorum} receipt. */
    public Written writeWithReply(String process, NodeProcess coordinator, String bucket, String key, String value,
                                  String consistency, long timeoutMillis) {
        long id = history.invoke(process, Op.WRITE, key, value);
        String url = coordinator.url() + "/kv/" + bucket + "/" + encode(key) + "?consistency=" + consistency
                + "&timeout=" + timeoutMillis;
        try {
            HttpReply r = http.put(url, value.getBytes(StandardCharsets.UTF_8), "text/plain");
            Outcome o = ReplyClassifier.write(r.status(), r.body());
            record(id, o, "via " + coordinator.id() + ": " + r);
            return new Written(o, r);
        } catch (HttpCallException e) {
            Outcome o = ReplyClassifier.write(e);
            record(id, o, e.getMessage());
            return new Written(o, null);
        }
    }

    /**
     * Reads {@code bucket/key} through {@code coordinator} and records it; answers what it found
     * (for a 300 with siblings, the JSON body as the value, which matches no written value), or
     * null if the read failed.
     */
    public FinalRead read(String process, NodeProcess coordinator, String bucket, String key, String consistency,
                          long timeoutMillis) {
        long id = history.invoke(process, Op.READ, key, null);
        String url = coordinator.url() + "/kv/" + bucket + "/" + encode(key) + "?consistency=" + consistency
                + "&timeout=" + timeoutMillis;
        try {
            HttpReply r = http.get(url);
            if (ReplyClassifier.read(r.status()) != Outcome.OK) {
                history.fail(id, "via " + coordinator.id() + ": " + r);
                return null;
            }
            Optional<String> value = r.status() == 404 ? Optional.empty() : Optional.of(r.text());
            history.ok(id, value.orElse(null));
            return value.map(FinalRead::present).orElseGet(FinalRead::absent);
        } catch (HttpCallException e) {
            history.fail(id, e.getMessage());
            return null;
        }
    }

    private void record(long id, Outcome o, String detail) {
        switch (o) {
            case OK -> history.ok(id, null);
            case FAIL -> history.fail(id, detail);
            case INDETERMINATE, PENDING -> history.indeterminate(id, detail);
        }
    }

    private static String encode(String key) {
        return URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
