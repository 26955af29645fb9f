package io.kvorum.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.HdrHistogram.Histogram;

import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs one benchmark: sets the bucket's conflict mode on every node, loads the records if asked,
 * then runs the workload (warm-up, then the measured phase) with one {@link Driver} per thread,
 * printing a progress line every second. Answers the {@link BenchResult}.
 */
public final class BenchEngine {
    private final Vertx vertx;
    private final BenchConfig config;
    private final PrintStream progress;
    private final List<Driver> drivers = new ArrayList<>();
    private final List<SplittableRandom> randoms = new ArrayList<>();
    private final List<String> deployments = new ArrayList<>();

    public BenchEngine(Vertx vertx, BenchConfig config, PrintStream progress) {
        this.vertx = vertx;
        this.config = config;
        this.progress = progress;
        SplittableRandom root = new SplittableRandom(config.seed());
        Requests requests = new Requests(config.bucket(), config.readConsistency(), config.writeConsistency());
        byte[][] values = values(root.split(), config.valueSize());
        for (int i = 0; i < config.threads(); i++) {
            int slots = config.concurrency() / config.threads() + (i < config.concurrency() % config.threads() ? 1 : 0);
            drivers.add(new Driver(i, slots, config.nodes(), requests, config.conflict(), values,
                    config.timeoutMillis()));
            randoms.add(root.split());
        }
    }

    public Future<BenchResult> run() {
        String startedAt = Instant.now().toString();
        return deployDrivers()
                .compose(v -> setUpBucket())
                .compose(v -> config.load() ? loadPhase() : Future.succeededFuture(null))
                .compose(load -> config.hasRunPhase()
                        ? runPhase(startedAt, load)
                        : Future.succeededFuture(new BenchResult(config, startedAt, 0, List.of(), null, Map.of(), load)))
                .eventually(this::undeployDrivers);
    }

    private Future<Void> deployDrivers() {
        Future<Void> chain = Future.succeededFuture();
        for (Driver driver : drivers) {
            chain = chain.compose(v -> vertx.deployVerticle(driver).map(id -> {
                deployments.add(id);
                return null;
            }));
        }
        return chain;
    }

    private Future<Void> undeployDrivers() {
        List<Future<Void>> all = new ArrayList<>();
        for (String id : deployments) {
            all.add(vertx.undeploy(id));
        }
        return Future.join(all).mapEmpty();
    }

    /** PUT the conflict mode to every node, so the run does not depend on propagation. */
    private Future<Void> setUpBucket() {
        KvClient setup = new KvClient(vertx, 1, config.timeoutMillis());
        String body = "{\"conflict\":\"" + config.conflict().bucketMode() + "\"}";
        Future<Void> chain = Future.succeededFuture();
        for (Endpoint node : config.nodes()) {
            chain = chain.compose(v -> setup.putJson(node, Requests.bucketUri(config.bucket()), body)
                    .compose(reply -> reply.status() == 200 ? Future.<Void>succeededFuture()
                            : Future.failedFuture("PUT " + Requests.bucketUri(config.bucket()) + " on " + node
                            + " answered " + reply.status())));
        }
        return chain.eventually(setup::close);
    }

    private Future<OpSummary> loadPhase() {
        OpMetrics metrics = new OpMetrics();
        AtomicLong cursor = new AtomicLong();
        long start = System.nanoTime();
        List<Future<Void>> running = new ArrayList<>();
        for (Driver driver : drivers) {
            running.add(driver.run(new Driver.Phase(OpSource.load(cursor, config.records()), Pacer.unthrottled(),
                    start, metrics)));
        }
        return awaitWithProgress(running, metrics, start, start, "load").map(end -> {
            metrics.drain();
            double seconds = (end - start) / 1e9;
            return Summaries.summarize(Operation.INSERT.label(), metrics.histogram(Operation.INSERT),
                    metrics.errors(Operation.INSERT), seconds);
        });
    }

    private Future<BenchResult> runPhase(String startedAt, OpSummary load) {
        OpMetrics metrics = new OpMetrics();
        Distribution.ChooserFactory keys = config.distribution().factory(config.records());
        long start = System.nanoTime();
        long measureFrom = start + (long) (config.warmupSeconds() * 1e9);
        AtomicLong budget = config.operations() == null ? null : new AtomicLong(config.operations());
        long end = config.durationSeconds() == null ? Long.MAX_VALUE
                : measureFrom + (long) (config.durationSeconds() * 1e9);
        List<Future<Void>> running = new ArrayList<>();
        for (int i = 0; i < drivers.size(); i++) {
            Driver driver = drivers.get(i);
            SplittableRandom random = randoms.get(i);
            KeyChooser chooser = keys.create(random);
            OpSource source = budget == null
                    ? OpSource.timed(config.workload(), chooser, random, end)
                    : OpSource.counted(config.workload(), chooser, random, measureFrom, budget);
            Pacer pacer = config.targetRate() > 0
                    ? Pacer.atRate(config.targetRate() * driver.slots() / config.concurrency(), start)
                    : Pacer.unthrottled();
            running.add(driver.run(new Driver.Phase(source, pacer, measureFrom, metrics)));
        }
        return awaitWithProgress(running, metrics, start, measureFrom, "run").map(finished -> {
            metrics.drain();
            double seconds = Math.max(1e-9, (finished - measureFrom) / 1e9);
            List<OpSummary> ops = new ArrayList<>();
            Map<String, Long> byStatus = new TreeMap<>();
            Map<String, Long> allErrors = new TreeMap<>();
            for (Operation op : List.of(Operation.READ, Operation.UPDATE)) {
                Map<String, Long> errors = metrics.errors(op);
                Histogram histogram = metrics.histogram(op);
                if (histogram.getTotalCount() == 0 && errors.isEmpty()) {
                    continue;
                }
                ops.add(Summaries.summarize(op.label(), histogram, errors, seconds));
                errors.forEach((status, n) -> {
                    byStatus.merge(op.label() + " " + status, n, Long::sum);
                    allErrors.merge(status, n, Long::sum);
                });
            }
            OpSummary total = Summaries.summarize("all", metrics.merged(), allErrors, seconds);
            return new BenchResult(config, startedAt, seconds, ops, total, byStatus, load);
        });
    }

    /** Waits for the drivers, printing a progress line every second; answers the end time. */
    private Future<Long> awaitWithProgress(List<Future<Void>> running, OpMetrics metrics, long start,
                                           long measureFrom, String phaseName) {
        long[] last = {start, 0};
        long timer = vertx.setPeriodic(1000, id -> {
            long now = System.nanoTime();
            long completed = metrics.completed();
            metrics.drain();
            Histogram merged = metrics.merged();
            double p99 = merged.getTotalCount() == 0 ? Double.NaN : merged.getValueAtPercentile(99) / 1000.0;
            String phase = now < measureFrom ? "warmup" : phaseName;
            progress.println(ProgressLine.format(phase, (now - start) / 1e9,
                    (completed - last[1]) / ((now - last[0]) / 1e9), p99, metrics.errorCount()));
            last[0] = now;
            last[1] = completed;
        });
        return Future.all(running)
                .andThen(ar -> vertx.cancelTimer(timer))
                .map(v -> System.nanoTime());
    }

    private static byte[][] values(SplittableRandom random, int size) {
        byte[][] values = new byte[16][size];
        for (byte[] value : values) {
            random.nextBytes(value);
        }
        return values;
    }
}
