package io.kvorum.system.nemesis;

import io.kvorum.system.NodeProcess;
import io.kvorum.system.SystemCluster;
import io.kvorum.system.history.History;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * What a {@link Scenario} test gets: its seed and a {@link Random} from it, its deadline, its
 * history, a client outside every partition, and factories for the cluster and the nemesis whose
 * cleanup the extension guarantees (even when the deadline interrupts the test).
 */
public final class ScenarioContext {
    private final String name;
    private final long seed;
    private final Random random;
    private final Deadline deadline;
    private final History history = new History();
    private final LoopbackClient client = new LoopbackClient();
    private final ClusterProbe probe = new ClusterProbe(client);
    private final WorkloadClient workload = new WorkloadClient(client, history);
    private final Deque<AutoCloseable> toClose = new ArrayDeque<>();
    private final Map<String, HistoryWriter> extraHistories = new LinkedHashMap<>();

    /** Writes one more record of the scenario (a register history, say) to a file. */
    @FunctionalInterface
    public interface HistoryWriter {
        void writeTo(Path file) throws IOException;
    }

    ScenarioContext(String name, long seed, Deadline deadline) {
        this.name = name;
        this.seed = seed;
        this.random = new Random(seed);
        this.deadline = deadline;
    }

    /** {@code TestClass.method}. */
    public String name() {
        return name;
    }

    public long seed() {
        return seed;
    }

    /** Seeded from {@link #seed()}: draw every random choice of the scenario from it. Not thread-safe in order. */
    public Random random() {
        return random;
    }

    public Deadline deadline() {
        return deadline;
    }

    public History history() {
        return history;
    }

    /** An HTTP client from 127.0.0.100, which no partition rule matches. */
    public LoopbackClient client() {
        return client;
    }

    /** Reads {@code /admin/cluster} and {@code /ready} through {@link #client()}. */
    public ClusterProbe probe() {
        return probe;
    }

    /** Key-value requests recorded in {@link #history()}. */
    public WorkloadClient workload() {
        return workload;
    }

    /** A cluster of {@code size} nodes under {@code root}, not yet started; killed when the scenario ends. */
    public synchronized SystemCluster cluster(Path root, int size, List<String> extraArgs) throws IOException {
        return cluster(root, size, extraArgs, true);
    }

    /**
     * As {@link #cluster(Path, int, List)}; with {@code harnessTuning} false the nodes get only
     * {@code extraArgs} on top of their own defaults (not {@link NodeProcess#HARNESS_TUNING}).
     */
    public synchronized SystemCluster cluster(Path root, int size, List<String> extraArgs, boolean harnessTuning)
            throws IOException {
        SystemCluster c = new SystemCluster(root, size, extraArgs, harnessTuning);
        toClose.push(c);
        return c;
    }

    /** A nemesis over {@code nodes} reporting into the history; closed (paused nodes resumed, table removed) at the end. */
    public synchronized Nemesis nemesis(List<NodeProcess> nodes) {
        Nemesis n = new Nemesis(nodes, probe, text -> history.note("nemesis", text));
        toClose.push(n);
        return n;
    }

    /**
     * Keeps another record besides {@link #history()} whenever the history is kept (on failure, or
     * always with {@code -Dkvorum.keepHistories=true}), as {@code <Class>.<method>-<seed>.<suffix>.jsonl}.
     */
    public synchronized void keepAlso(String suffix, HistoryWriter writer) {
        extraHistories.put(suffix, writer);
    }

    synchronized Map<String, HistoryWriter> extraHistories() {
        return Map.copyOf(extraHistories);
    }

    /** Closes what the factories made, newest first; answers the errors. */
    synchronized List<Exception> closeAll() {
        List<Exception> errors = new ArrayList<>();
        while (!toClose.isEmpty()) {
            try {
                toClose.pop().close();
            } catch (Exception e) {
                errors.add(e);
            }
        }
        return errors;
    }
}
