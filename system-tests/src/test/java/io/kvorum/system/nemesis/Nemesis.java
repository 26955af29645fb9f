package io.kvorum.system.nemesis;

import io.kvorum.system.NodeProcess;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Breaks a cluster of real node processes: SIGKILL and restart, SIGSTOP and SIGCONT, and network
 * partitions between their loopback addresses and ports with one dedicated nftables table
 * ({@code inet kvorum_nemesis}). Every action is reported to a listener (the scenario's history).
 *
 * <p>The table is removed by {@link #heal()}, by {@link #sweep()} (before and after every scenario)
 * and by a JVM shutdown hook; the host's other nftables tables are never touched. Latency is not
 * injected: this kernel has no netem (a userspace proxy or a transport hook would be needed).
 */
public final class Nemesis implements AutoCloseable {
    private static final AtomicBoolean HOOK_INSTALLED = new AtomicBoolean();
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final List<NodeProcess> nodes;
    private final ClusterProbe probe;
    private final Consumer<String> listener;
    private final Set<NodeProcess> paused = new LinkedHashSet<>();
    private boolean partitioned;

    /**
     * @param nodes    every node of the cluster (a partition's other side is the rest of them)
     * @param probe    used to wait for a restarted node to be ready, from outside every partition
     * @param listener told of every action in words, before it is taken
     */
    public Nemesis(List<NodeProcess> nodes, ClusterProbe probe, Consumer<String> listener) {
        this.nodes = List.copyOf(nodes);
        this.probe = probe;
        this.listener = listener;
        installShutdownHook();
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed. */
    public synchronized void kill(NodeProcess node) throws InterruptedException {
        listener.accept("kill " + node.id());
        node.kill();
        paused.remove(node);
    }

    /** Starts a killed node again on its data and waits until it is ready. */
    public void restart(NodeProcess node) throws IOException {
        synchronized (this) {
            if (node.isAlive()) {
                throw new IllegalStateException("restart " + node.id() + ": it is still running; kill it first");
            }
            listener.accept("restart " + node.id());
            node.start();
        }
        probe.awaitReady(node, READY_TIMEOUT);
        listener.accept("restarted " + node.id() + " (ready)");
    }

    /** SIGSTOP: the node freezes with its connections open; peers see silence. */
    public synchronized void pause(NodeProcess node) throws IOException, InterruptedException {
        listener.accept("pause " + node.id());
        node.pause();
        paused.add(node);
    }

    /** SIGCONT. */
    public synchronized void resume(NodeProcess node) throws IOException, InterruptedException {
        listener.accept("resume " + node.id());
        node.resume();
        paused.remove(node);
    }

    /** Cuts {@code side} off from every other node of the cluster, replacing any earlier partition atomically. */
    public void partition(Set<NodeProcess> side) throws IOException {
        Set<NodeProcess> rest = new LinkedHashSet<>(nodes);
        rest.removeAll(side);
        partition(side, rest);
    }

    /**
     * Drops all traffic between the nodes of {@code a} and those of {@code b}, both ways; a node in
     * neither keeps talking to both. Replaces any earlier partition atomically.
     */
    public synchronized void partition(Set<NodeProcess> a, Set<NodeProcess> b) throws IOException {
        String script = PartitionRules.script(endpoints(a), endpoints(b));
        listener.accept("partition " + ids(a) + " | " + ids(b));
        NftTable.apply(script);
        partitioned = true;
    }

    /** Removes the partition with a single {@code nft delete table}. */
    public synchronized void heal() throws IOException {
        listener.accept("heal");
        NftTable.delete();
        partitioned = false;
    }

    public synchronized boolean partitioned() {
        return partitioned;
    }

    public synchronized Set<NodeProcess> pausedNodes() {
        return Set.copyOf(paused);
    }

    /** Resumes paused nodes that are still running and removes the partition. */
    @Override
    public synchronized void close() throws IOException, InterruptedException {
        List<Exception> errors = new ArrayList<>();
        for (NodeProcess n : List.copyOf(paused)) {
            if (n.isAlive()) {
                try {
                    resume(n);
                } catch (IOException | RuntimeException e) {
                    errors.add(e);
                }
            }
        }
        paused.clear();
        sweep();
        partitioned = false;
        if (!errors.isEmpty()) {
            IllegalStateException e = new IllegalStateException("closing the nemesis: " + errors.size() + " errors");
            errors.forEach(e::addSuppressed);
            throw e;
        }
    }

    /**
     * Deletes the nemesis table if it exists (whoever left it); answers whether it did. Never
     * flushes the ruleset or touches another table.
     */
    public static boolean sweep() throws IOException {
        installShutdownHook();
        return NftTable.delete();
    }

    /** Whether the nemesis table exists now. */
    public static boolean tablePresent() throws IOException {
        return NftTable.exists();
    }

    /** The nemesis table as {@code nft list table} prints it. */
    public static String tableRules() throws IOException {
        return NftTable.list();
    }

    /** Every table of the host, as {@code nft list tables} prints them. */
    public static List<String> hostTables() throws IOException {
        return NftTable.listTables();
    }

    private static void installShutdownHook() {
        if (HOOK_INSTALLED.compareAndSet(false, true)) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    if (NftTable.delete()) {
                        System.err.println("[nemesis] shutdown hook removed the table "
                                + PartitionRules.FAMILY + " " + PartitionRules.TABLE);
                    }
                } catch (IOException | RuntimeException e) {
                    System.err.println("[nemesis] shutdown hook could not remove the table: " + e);
                }
            }, "nemesis-sweep"));
        }
    }

    private static Set<Endpoint> endpoints(Set<NodeProcess> side) {
        return side.stream().map(n -> new Endpoint(n.host(), n.port()))
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    private static String ids(Set<NodeProcess> side) {
        return side.stream().map(NodeProcess::id).sorted().toList().toString();
    }
}
