package io.kvorum.system.cas;

import io.kvorum.system.NodeProcess;
import io.kvorum.system.linearizability.RegisterHistory;
import io.kvorum.system.nemesis.HttpCallException;
import io.kvorum.system.nemesis.HttpReply;
import io.kvorum.system.nemesis.LoopbackClient;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One client of the register workload: {@code SERIAL} reads, unconditional {@code SERIAL} writes
 * and compare-and-sets, each recorded in a {@link RegisterHistory} (invoked just before the
 * request, completed from {@link CasReplies}). One instance per thread.
 *
 * <p>The register model compares values, the API compares ETags. The client remembers, per key,
 * the ETag of the last value it saw (or that the key was absent), and every client shares what
 * the nodes said about which ETag is which value (a 200 read gives both; a 204 write gives the
 * ETag of the value it wrote). A compare-and-set from ETag {@code e} is then recorded as
 * {@code cas(value(e) -> new)}, and one from "absent" ({@code If-None-Match: *}) as
 * {@code cas(absent -> new)}. When the client does not know the value behind what it believes,
 * it reads first.
 */
final class RegisterClient {
    /** What a client believes of a key it saw absent. */
    private static final String ABSENT = "";

    private final int process;
    private final LoopbackClient http;
    private final RegisterHistory history;
    private final String bucket;
    private final long timeoutMillis;
    private final Map<String, String> valueOfEtag;
    private final List<String> bugs;
    private final Map<String, Integer> failures;
    private final Map<String, String> belief = new HashMap<>();
    private int written;

    /**
     * @param valueOfEtag shared by every client (thread-safe): ETag to the value it stands for
     * @param bugs        shared (synchronized): answers no correct node gives
     * @param failures    shared (thread-safe): how often each kind of failure was answered, such as
     *                    {@code "PUT 504 unknown"} or {@code "GET no answer"}
     */
    RegisterClient(int process, LoopbackClient http, RegisterHistory history, String bucket, long timeoutMillis,
                   Map<String, String> valueOfEtag, List<String> bugs, Map<String, Integer> failures) {
        this.process = process;
        this.http = http;
        this.history = history;
        this.bucket = bucket;
        this.timeoutMillis = timeoutMillis;
        this.valueOfEtag = valueOfEtag;
        this.bugs = bugs;
        this.failures = failures;
    }

    /** A {@code SERIAL} read; true when it got an answer (a value or absent). */
    boolean read(NodeProcess node, String key) {
        long id = history.invokeRead(process, key);
        HttpReply r;
        try {
            r = http.send("GET", url(node, key), null, Map.of());
        } catch (HttpCallException e) {
            failures.merge("GET " + (e.requestSent() ? "no answer" : "not connected"), 1, Integer::sum);
            history.indeterminate(id);
            return false;
        }
        switch (CasReplies.read(r.status(), r.body())) {
            case OK -> {
                if (r.status() == 300) {
                    // A key written only by CAS has one value: record what was seen, which matches no write.
                    history.readOk(id, "<siblings " + r.text() + ">");
                    belief.remove(key);
                    return true;
                }
                String value = r.text();
                history.readOk(id, value);
                learn(node, key, etag(r), value, "GET");
                return true;
            }
            case ABSENT -> {
                history.readOk(id, null);
                belief.put(key, ABSENT);
                return true;
            }
            case NOT_APPLIED -> {
                counted("GET", r);
                history.fail(id);
            }
            case BUG -> {
                bug("GET", node, key, r);
                history.indeterminate(id);
            }
            default -> {
                counted("GET", r);
                history.indeterminate(id);
            }
        }
        return false;
    }

    /** An unconditional write by compare-and-set ({@code PUT ?consistency=SERIAL}) of a new value. */
    void write(NodeProcess node, String key) {
        String value = nextValue();
        long id = history.invokeWrite(process, key, value);
        put(id, node, key, value, Map.of(), false);
    }

    /**
     * A compare-and-set from what this client believes the key holds to a new value; reads first
     * when it does not know (then the read is what this call did, if it failed).
     */
    void cas(NodeProcess node, String key) {
        if (!knowsValue(key) && !(read(node, key) && knowsValue(key))) {
            return;
        }
        String etag = belief.get(key);
        boolean absent = etag.equals(ABSENT);
        String expected = absent ? null : valueOfEtag.get(etag);
        String value = nextValue();
        long id = history.invokeCas(process, key, expected, value);
        put(id, node, key, value, absent ? Map.of("If-None-Match", "*") : Map.of("If-Match", "\"" + etag + "\""),
                true);
    }

    private boolean knowsValue(String key) {
        String etag = belief.get(key);
        return etag != null && (etag.equals(ABSENT) || valueOfEtag.containsKey(etag));
    }

    private void put(long id, NodeProcess node, String key, String value, Map<String, String> conditions,
                     boolean conditional) {
        Map<String, String> headers = new HashMap<>(conditions);
        headers.put("Content-Type", "text/plain");
        HttpReply r;
        try {
            r = http.send("PUT", url(node, key), value.getBytes(StandardCharsets.UTF_8), headers);
        } catch (HttpCallException e) {
            failures.merge("PUT " + (e.requestSent() ? "no answer" : "not connected"), 1, Integer::sum);
            if (CasReplies.noAnswer(e) == CasReplies.Known.NOT_APPLIED) {
                history.fail(id);
            } else {
                history.indeterminate(id);
                belief.remove(key);
            }
            return;
        }
        switch (CasReplies.write(r.status(), r.body(), conditional)) {
            case OK -> {
                history.ok(id);
                learn(node, key, etag(r), value, "PUT");
            }
            case PRECONDITION_FAILED -> {
                history.preconditionFailed(id);
                String current = CasReplies.member(r.body(), "currentEtag");
                belief.put(key, current == null ? ABSENT : current);
            }
            case NOT_APPLIED -> {
                counted("PUT", r);
                history.fail(id);
            }
            case BUG -> {
                bug("PUT " + conditions, node, key, r);
                history.indeterminate(id);
                belief.remove(key);
            }
            default -> {
                counted("PUT", r);
                history.indeterminate(id);
                belief.remove(key);
            }
        }
    }

    private void counted(String method, HttpReply r) {
        failures.merge(method + " " + r.status() + " " + CasReplies.applied(r.body()), 1, Integer::sum);
    }

    private void learn(NodeProcess node, String key, String etag, String value, String what) {
        if (etag == null) {
            bugs.add(what + " " + key + " via " + node.id() + " answered without an ETag");
            belief.remove(key);
            return;
        }
        String before = valueOfEtag.putIfAbsent(etag, value);
        if (before != null && !before.equals(value)) {
            bugs.add(what + " " + key + " via " + node.id() + ": ETag " + etag + " stands for \"" + value
                    + "\" but was earlier given for \"" + before + "\"");
        }
        belief.put(key, etag);
    }

    private void bug(String what, NodeProcess node, String key, HttpReply r) {
        bugs.add(what + " " + bucket + "/" + key + " via " + node.id() + " by p" + process + ": " + r);
    }

    private String nextValue() {
        return "p" + process + "-" + (++written);
    }

    private String url(NodeProcess node, String key) {
        return node.url() + "/kv/" + bucket + "/" + key + "?consistency=SERIAL&timeout=" + timeoutMillis;
    }

    /** The ETag header without its quotes, or null. */
    private static String etag(HttpReply r) {
        String e = r.header("ETag");
        if (e == null) {
            return null;
        }
        e = e.trim();
        return e.length() >= 2 && e.startsWith("\"") && e.endsWith("\"") ? e.substring(1, e.length() - 1) : e;
    }
}
