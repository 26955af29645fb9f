package io.kvorum.bench;

import io.kvorum.storage.StoreIo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code kvorum bench storage}: the storage engine alone, comparing storage settings in one run.
 * The variants are every combination of the {@code --io}, {@code --checkpoint-bytes} and
 * {@code --key-cache-bytes} values (by default memory-mapped against channel I/O of the store
 * file; {@code --io MMAP --checkpoint-bytes 0,8388608} compares checkpoint sizes instead, and
 * {@code --io MMAP --key-cache-bytes 0,16777216} the engine without and with its key cache). Each round measures every
 * variant in turn on a fresh store, so that the variants share the machine's conditions; the
 * table gives each variant's medians over the rounds and its ratio to the first (the baseline).
 */
@Command(name = "storage", mixinStandardHelpOptions = true,
        description = "Benchmarks the MapDB storage engine in-process (durability=sync), comparing "
                + "store file I/O (storageIo), storageCheckpointBytes and storageKeyCacheBytes values within one run.")
final class StorageCommand implements java.util.concurrent.Callable<Integer> {
    /** One storage setting measured. */
    record Variant(StoreIo io, long checkpointBytes, long keyCacheBytes) {
    }

    @Option(names = "--records", defaultValue = "20000", description = "keys loaded before measuring (default 20000)")
    int records;

    @Option(names = {"-n", "--operations"}, defaultValue = "20000", description = "measured operations per variant and round (default 20000)")
    long operations;

    @Option(names = "--value-size", defaultValue = "1024", description = "bytes per value (default 1024)")
    int valueSize;

    @Option(names = {"-c", "--concurrency"}, defaultValue = "64", description = "operations in flight (default 64)")
    int concurrency;

    @Option(names = "--read-proportion", defaultValue = "0.5", description = "share of reads, 0..1 (default 0.5)")
    double readProportion;

    @Option(names = "--io", split = ",", defaultValue = "CHANNEL,MMAP",
            description = "store file I/O to compare, ${COMPLETION-CANDIDATES}; the first is the baseline (default CHANNEL,MMAP)")
    List<StoreIo> io;

    @Option(names = "--checkpoint-bytes", split = ",", defaultValue = "8388608",
            description = "storageCheckpointBytes values to compare (default 8388608; the checkpoint comparison: "
                    + "--io MMAP --checkpoint-bytes 0,8388608)")
    List<Long> checkpointBytes;

    @Option(names = "--key-cache-bytes", split = ",", defaultValue = "16777216",
            description = "storageKeyCacheBytes values to compare (default 16777216; the key cache comparison: "
                    + "--io MMAP --key-cache-bytes 0,16777216)")
    List<Long> keyCacheBytes;

    @Option(names = "--rounds", defaultValue = "3", description = "rounds over all variants (default 3)")
    int rounds;

    @Option(names = "--dir", description = "directory for the stores (default: a temporary directory)")
    Path dir;

    /** Every combination of the {@code --io}, {@code --checkpoint-bytes} and {@code --key-cache-bytes} values, in that order. */
    List<Variant> variants() {
        List<Variant> variants = new ArrayList<>();
        for (StoreIo i : io) {
            for (long c : checkpointBytes) {
                for (long k : keyCacheBytes) {
                    variants.add(new Variant(i, c, k));
                }
            }
        }
        return variants;
    }

    @Override
    public Integer call() throws Exception {
        if (rounds < 1 || operations < 1 || io.isEmpty() || checkpointBytes.isEmpty() || keyCacheBytes.isEmpty()) {
            throw new IllegalArgumentException("--rounds and --operations must be >= 1, --io, --checkpoint-bytes and "
                    + "--key-cache-bytes not empty");
        }
        List<Variant> variants = variants();
        StorageBench bench = new StorageBench(records, valueSize, concurrency, readProportion, 42);
        Path root = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("kvorum-storage-bench");
        List<List<StorageBench.Result>> byVariant = new ArrayList<>();
        variants.forEach(v -> byVariant.add(new ArrayList<>()));
        try {
            for (int round = 1; round <= rounds; round++) {
                for (int v = 0; v < variants.size(); v++) {
                    Path store = root.resolve("r" + round + "-v" + v);
                    Variant variant = variants.get(v);
                    StorageBench.Result r = bench.run(store, variant.io(), variant.checkpointBytes(),
                            variant.keyCacheBytes(), operations);
                    byVariant.get(v).add(r);
                    System.err.printf("round %d io=%s checkpointBytes=%d keyCacheBytes=%d: %.0f ops/s, %.1f us CPU/op, "
                                    + "%.2f minor faults/op, p50 %.2f ms, p99 %.2f ms%n", round, r.io(),
                            r.checkpointBytes(), r.keyCacheBytes(), r.opsPerSecond(), r.cpuMicrosPerOp(),
                            r.minorFaultsPerOp(), r.p50Millis(), r.p99Millis());
                    delete(store);
                }
            }
        } finally {
            if (dir == null) {
                delete(root);
            }
        }
        System.out.print(table(byVariant));
        return 0;
    }

    String table(List<List<StorageBench.Result>> byVariant) {
        StringBuilder out = new StringBuilder();
        out.append(String.format("storage engine, durability=sync, %d records of %d B, %d operations per run "
                        + "(%.0f%% reads), %d in flight, %d round(s); medians over the rounds%n%n",
                records, valueSize, operations, readProportion * 100, concurrency, rounds));
        out.append("| storageIo   | storageCheckpointBytes | storageKeyCacheBytes |  ops/s | CPU us/op | minor faults/op "
                + "| p50 ms | p99 ms | ops/s vs first | CPU/op vs first |\n");
        out.append("|-------------|------------------------|----------------------|--------|-----------|-----------------"
                + "|--------|--------|----------------|-----------------|\n");
        double baseOps = median(byVariant.get(0), StorageBench.Result::opsPerSecond);
        double baseCpu = median(byVariant.get(0), StorageBench.Result::cpuMicrosPerOp);
        for (List<StorageBench.Result> runs : byVariant) {
            double ops = median(runs, StorageBench.Result::opsPerSecond);
            double cpu = median(runs, StorageBench.Result::cpuMicrosPerOp);
            out.append(String.format("| %-11s | %22d | %20d | %6.0f | %9.1f | %15.2f | %6.2f | %6.2f | %13.2fx | %14.2fx |%n",
                    runs.get(0).io(), runs.get(0).checkpointBytes(), runs.get(0).keyCacheBytes(), ops, cpu,
                    median(runs, StorageBench.Result::minorFaultsPerOp),
                    median(runs, StorageBench.Result::p50Millis), median(runs, StorageBench.Result::p99Millis),
                    ops / baseOps, cpu / baseCpu));
        }
        return out.toString();
    }

    static double median(List<StorageBench.Result> runs, java.util.function.ToDoubleFunction<StorageBench.Result> f) {
        double[] v = runs.stream().mapToDouble(f).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static void delete(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
