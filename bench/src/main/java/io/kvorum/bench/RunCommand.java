package io.kvorum.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/** {@code run}: load the records (optionally), run a workload, print the table, write the JSON. */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs a YCSB-style workload against Kvorum nodes (or the ceiling server).",
                "Progress goes to stderr every second; the final table to stdout."})
final class RunCommand implements Callable<Integer> {

    @Option(names = "--nodes", split = ",", defaultValue = "127.0.0.1:8081",
            description = "host:port of every node to spread the load over (default: ${DEFAULT-VALUE})")
    List<String> nodes;

    @Option(names = {"-w", "--workload"}, defaultValue = "A",
            description = "A (50%% read / 50%% update), B (95/5), C (read only), W (write only); default ${DEFAULT-VALUE}")
    String workload;

    @Option(names = "--read-proportion", description = "custom mix: the share of reads, 0..1 (overrides --workload)")
    Double readProportion;

    @Option(names = "--distribution", defaultValue = "uniform",
            description = "uniform | zipfian (YCSB's scrambled zipfian, theta 0.99) | zipfian_plain (hottest keys first); "
                    + "default ${DEFAULT-VALUE}")
    Distribution distribution;

    @Option(names = "--records", defaultValue = "1000", description = "records in the key space (default ${DEFAULT-VALUE})")
    long records;

    @Option(names = "--value-size", defaultValue = "1024", description = "bytes per value (default ${DEFAULT-VALUE})")
    int valueSize;

    @Option(names = {"-c", "--concurrency"}, defaultValue = "64",
            description = "requests in flight (default ${DEFAULT-VALUE})")
    int concurrency;

    @Option(names = "--threads", description = "client event loops (default: min(4, cores))")
    Integer threads;

    @Option(names = {"-d", "--duration"}, description = "measured time after the warm-up: 30, 30s, 500ms, 2m (default 30s)")
    String duration;

    @Option(names = {"-n", "--operations"}, description = "measured operation count instead of a duration "
            + "(0 with --load: load only)")
    Long operations;

    @Option(names = "--warmup", defaultValue = "5s", description = "unmeasured warm-up before the measured phase "
            + "(default ${DEFAULT-VALUE})")
    String warmup;

    @Option(names = "--read-consistency", defaultValue = "QUORUM",
            description = "R: ONE, QUORUM, ALL, an integer, or '' for the bucket default (default ${DEFAULT-VALUE})")
    String readConsistency;

    @Option(names = "--write-consistency", defaultValue = "QUORUM",
            description = "W: as --read-consistency (default ${DEFAULT-VALUE})")
    String writeConsistency;

    @Option(names = "--bucket", defaultValue = "bench", description = "bucket (default ${DEFAULT-VALUE})")
    String bucket;

    @Option(names = "--conflict", defaultValue = "lww", description = "lww (update = PUT), siblings "
            + "(update = GET, then PUT with X-Kvorum-Context) or cas (siblings bucket; update = GET, then PUT with "
            + "If-Match: the ETag, through Paxos); set on the bucket first (default ${DEFAULT-VALUE})")
    Conflict conflict;

    @Option(names = "--rate", defaultValue = "0", description = "target ops/s over all threads; latency is then "
            + "measured from each operation's intended start (coordinated omission); 0 = as fast as possible")
    double rate;

    @Option(names = "--load", description = "insert every record (PUT at the write consistency) before the workload")
    boolean load;

    @Option(names = "--seed", defaultValue = "42", description = "random seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--timeout", defaultValue = "10s", description = "per-request idle timeout (default ${DEFAULT-VALUE})")
    String timeout;

    @Option(names = "--json", description = "write the result as JSON to this file")
    Path json;

    @Override
    public Integer call() throws Exception {
        if (duration != null && operations != null) {
            throw new IllegalArgumentException("give --duration or --operations, not both");
        }
        BenchConfig config = new BenchConfig(
                nodes.stream().filter(s -> !s.isBlank()).map(Endpoint::parse).toList(), bucket, conflict,
                readProportion != null ? Workload.custom(readProportion) : Workload.named(workload), distribution,
                records, valueSize, concurrency, threads != null ? threads : CeilingServer.nodeInstances(),
                operations != null ? null : Durations.parseSeconds(duration == null ? "30s" : duration), operations,
                Durations.parseSeconds(warmup), readConsistency, writeConsistency, rate, load, seed,
                (int) Math.max(1, Math.round(Durations.parseSeconds(timeout) * 1000)));
        Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true)
                .setEventLoopPoolSize(config.threads()));
        try {
            BenchResult result = new BenchEngine(vertx, config, System.err).run()
                    .toCompletionStage().toCompletableFuture().get();
            System.out.print(ResultTable.format(result));
            if (json != null) {
                new ResultJson().write(result, json);
            }
            return 0;
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }
}
