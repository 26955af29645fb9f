package io.kvorum.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;

import java.util.List;

/**
 * One event loop's share of the load: {@code slots} requests in flight at most, each started when
 * the {@link Pacer} says it is due, its latency measured from its intended start. Runs one phase
 * at a time on its own context with its own HTTP client; requests go to the nodes in turn.
 */
final class Driver extends VerticleBase {
    static final int INSERT_ATTEMPTS = 3;

    /** What a phase runs: its operations, its pacing, from when it measures, and where it records. */
    record Phase(OpSource source, Pacer pacer, long measureFromNanos, OpMetrics metrics) {
    }

    private final int index;
    private final int slots;
    private final List<Endpoint> nodes;
    private final Requests requests;
    private final Conflict conflict;
    private final byte[][] values;
    private final long timeoutMillis;
    private KvClient client;
    private int nextNode;

    private Phase phase;
    private Promise<Void> done;
    private int inFlight;
    private boolean exhausted;
    private boolean pumping;
    private boolean pumpAgain;
    private long ticker = -1;

    Driver(int index, int slots, List<Endpoint> nodes, Requests requests, Conflict conflict, byte[][] values,
           long timeoutMillis) {
        this.index = index;
        this.slots = slots;
        this.nodes = List.copyOf(nodes);
        this.requests = requests;
        this.conflict = conflict;
        this.values = values;
        this.timeoutMillis = timeoutMillis;
        this.nextNode = index % nodes.size();
    }

    @Override
    public Future<?> start() {
        client = new KvClient(vertx, slots, timeoutMillis);
        return Future.succeededFuture();
    }

    @Override
    public Future<?> stop() {
        return client == null ? Future.succeededFuture() : client.close();
    }

    int slots() {
        return slots;
    }

    /** Runs a phase to its end: the source is exhausted and every request it started has finished. */
    Future<Void> run(Phase next) {
        Promise<Void> promise = Promise.promise();
        context.runOnContext(v -> {
            phase = next;
            done = promise;
            exhausted = false;
            inFlight = 0;
            if (next.pacer().throttled()) {
                ticker = vertx.setPeriodic(1, id -> pump());
            }
            pump();
        });
        return promise.future();
    }

    private void pump() {
        if (pumping) {
            pumpAgain = true;
            return;
        }
        pumping = true;
        try {
            do {
                pumpAgain = false;
                fill();
            } while (pumpAgain);
        } finally {
            pumping = false;
        }
        if (exhausted && inFlight == 0 && done != null) {
            if (ticker >= 0) {
                vertx.cancelTimer(ticker);
                ticker = -1;
            }
            Promise<Void> finished = done;
            done = null;
            finished.complete();
        }
    }

    private void fill() {
        long now = System.nanoTime();
        Pacer pacer = phase.pacer();
        while (!exhausted && inFlight < slots && pacer.isDue(now)) {
            long intended = pacer.nextIntendedStart(now);
            OpSource.Op op = phase.source().next(intended);
            if (op == null) {
                exhausted = true;
                return;
            }
            pacer.take(now);
            inFlight++;
            Phase current = phase;
            execute(op, current).onComplete(ar -> {
                inFlight--;
                record(current, op.operation(), intended, ar.succeeded() ? ar.result() : null, ar.cause());
                pump();
            });
        }
    }

    private Future<KvClient.Reply> execute(OpSource.Op op, Phase current) {
        String key = KeyChooser.keyOf(op.key());
        Buffer value = Buffer.buffer(values[(int) (op.key() % values.length)]);
        return switch (op.operation()) {
            case READ -> client.get(nextNode(), requests.readUri(key));
            case INSERT -> insert(key, value, current, INSERT_ATTEMPTS);
            case UPDATE -> {
                Endpoint node = nextNode();
                if (conflict == Conflict.CAS) {
                    yield client.get(node, requests.readUri(key)).compose(read -> Requests.readOk(read.status())
                            || read.status() == 404
                            ? client.putIfMatch(node, requests.writeUri(key), value,
                                    read.status() == 404 ? null : read.etag())
                            : Future.succeededFuture(read));
                }
                yield conflict == Conflict.LWW
                        ? client.put(node, requests.writeUri(key), value, null)
                        : client.get(node, requests.readUri(key)).compose(read -> Requests.readOk(read.status())
                                || read.status() == 404
                                ? client.put(node, requests.writeUri(key), value, read.context())
                                : Future.succeededFuture(read));
            }
        };
    }

    /**
     * The load must leave every record in place for the run phase, so a failed insert is tried
     * again on the next node; each failed attempt still counts as an error.
     */
    private Future<KvClient.Reply> insert(String key, Buffer value, Phase current, int attempts) {
        return client.put(nextNode(), requests.writeUri(key), value, null).transform(ar -> {
            boolean ok = ar.succeeded() && Requests.writeOk(ar.result().status());
            if (ok || attempts <= 1) {
                return ar.succeeded() ? Future.succeededFuture(ar.result()) : Future.failedFuture(ar.cause());
            }
            current.metrics().failure(Operation.INSERT,
                    ar.succeeded() ? String.valueOf(ar.result().status()) : KvClient.failureLabel(ar.cause()));
            return insert(key, value, current, attempts - 1);
        });
    }

    private Endpoint nextNode() {
        Endpoint node = nodes.get(nextNode);
        nextNode = (nextNode + 1) % nodes.size();
        return node;
    }

    private static void record(Phase phase, Operation op, long intended, KvClient.Reply reply, Throwable failure) {
        long micros = (System.nanoTime() - intended) / 1000;
        OpMetrics metrics = phase.metrics();
        if (intended < phase.measureFromNanos()) {
            metrics.unmeasured();
        } else if (reply == null) {
            metrics.failure(op, KvClient.failureLabel(failure));
        } else if (op == Operation.READ ? Requests.readOk(reply.status()) : Requests.writeOk(reply.status())) {
            metrics.success(op, micros);
        } else {
            metrics.failure(op, String.valueOf(reply.status()));
        }
    }

    @Override
    public String toString() {
        return "driver-" + index + " (" + slots + " slots)";
    }
}
