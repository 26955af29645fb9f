package io.kvorum.system.cas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kvorum.system.NodeProcess;
import io.kvorum.system.nemesis.HttpCallException;
import io.kvorum.system.nemesis.HttpReply;
import io.kvorum.system.nemesis.LoopbackClient;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BooleanSupplier;

/**
 * One client racing for a lock: acquire through a random node, hold it a random short time
 * (sometimes renewing it), then release it, or sometimes walk away and let it expire. Every grant
 * is recorded as a {@link LeaseChecks.Grant}; answers no correct node gives are recorded as bugs.
 */
final class LockClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final int client;
    private final LoopbackClient http;
    private final List<NodeProcess> nodes;
    private final String lock;
    private final long ttlSeconds;
    private final long timeoutMillis;
    private final Random random;
    private final List<LeaseChecks.Grant> grants;
    private final List<String> bugs;
    private final Counts counts;

    /** What happened to requests, all clients together (thread-safe). */
    static final class Counts {
        int acquired;
        int held;
        int renewed;
        int released;
        int unanswered;

        synchronized void add(String what) {
            switch (what) {
                case "acquired" -> acquired++;
                case "held" -> held++;
                case "renewed" -> renewed++;
                case "released" -> released++;
                default -> unanswered++;
            }
        }

        @Override
        public synchronized String toString() {
            return "acquired=" + acquired + " held=" + held + " renewed=" + renewed + " released=" + released
                    + " unanswered=" + unanswered;
        }
    }

    LockClient(int client, LoopbackClient http, List<NodeProcess> nodes, String lock, long ttlSeconds,
               long timeoutMillis, Random random, List<LeaseChecks.Grant> grants, List<String> bugs, Counts counts) {
        this.client = client;
        this.http = http;
        this.nodes = nodes;
        this.lock = lock;
        this.ttlSeconds = ttlSeconds;
        this.timeoutMillis = timeoutMillis;
        this.random = random;
        this.grants = grants;
        this.bugs = bugs;
        this.counts = counts;
    }

    /** Races for the lock until {@code stop}; the pauses are the client's own pace (holding, backing off). */
    void run(BooleanSupplier stop) throws InterruptedException {
        while (!stop.getAsBoolean()) {
            long sent = System.nanoTime();
            HttpReply r = call("POST", "?ttl=" + ttlSeconds);
            long received = System.nanoTime();
            if (r == null) {
                continue;
            }
            if (r.status() == 409) {
                counts.add("held");
                Thread.sleep(20 + random.nextInt(150));
                continue;
            }
            if (r.status() != 201) {
                expectUnavailable("acquire", r);
                continue;
            }
            counts.add("acquired");
            JsonNode lease = body(r);
            long token = lease.path("token").asLong();
            long expiresAt = lease.path("expiresAt").asLong();
            long ttlMillis = lease.path("ttlSeconds").asLong() * 1000;
            long grantedAt = expiresAt - ttlMillis;
            long validUntil = LeaseChecks.validUntil(sent, received, ttlMillis);
            if (ttlMillis != ttlSeconds * 1000) {
                bugs.add("acquire answered ttlSeconds " + lease.path("ttlSeconds") + ", asked " + ttlSeconds);
            }
            if (random.nextInt(3) == 0) {
                Thread.sleep(random.nextInt(200));
                long renewSent = System.nanoTime();
                HttpReply renew = call("PUT", "?token=" + token + "&ttl=" + ttlSeconds);
                long renewReceived = System.nanoTime();
                if (renew != null && renew.status() == 200) {
                    counts.add("renewed");
                    JsonNode renewed = body(renew);
                    if (renewed.path("token").asLong() != token) {
                        bugs.add("renewing token " + token + " answered " + renew);
                    }
                    expiresAt = renewed.path("expiresAt").asLong();
                    validUntil = Math.max(validUntil, LeaseChecks.validUntil(renewSent, renewReceived, ttlMillis));
                } else if (renew != null && renew.status() != 409) {
                    expectUnavailable("renew", renew);
                }
            }
            Thread.sleep(random.nextInt(250));
            boolean release = random.nextInt(8) != 0;
            if (release) {
                long releaseSent = System.nanoTime();
                validUntil = Math.min(validUntil, releaseSent);
                HttpReply rel = call("DELETE", "?token=" + token);
                if (rel != null && rel.status() == 204) {
                    counts.add("released");
                } else if (rel != null && rel.status() != 409) {
                    expectUnavailable("release", rel);
                }
            }
            grants.add(new LeaseChecks.Grant(client, token, sent, received, grantedAt, expiresAt, validUntil, release));
        }
    }

    /** The answer, or null (recorded as unanswered) when none came. */
    private HttpReply call(String method, String query) {
        NodeProcess node = nodes.get(random.nextInt(nodes.size()));
        String url = node.url() + "/locks/" + lock + query + "&timeout=" + timeoutMillis;
        try {
            return http.send(method, url, null, Map.of());
        } catch (HttpCallException e) {
            counts.add("unanswered");
            return null;
        }
    }

    private void expectUnavailable(String what, HttpReply r) {
        if (r.status() == 503 || r.status() == 504) {
            counts.add("unanswered");
        } else {
            bugs.add(what + " of lock " + lock + " by client " + client + ": " + r);
        }
    }

    private JsonNode body(HttpReply r) {
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            bugs.add("not JSON: " + r);
            return JSON.createObjectNode();
        }
    }
}
