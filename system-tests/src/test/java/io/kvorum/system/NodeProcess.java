package io.kvorum.system;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Kvorum node: a separate JVM started from the built jar, with its own address, port, data
 * directory and log file. It can be killed with SIGKILL and started again on the same data.
 */
public final class NodeProcess implements AutoCloseable {
    /** What every node gets unless told otherwise: gossip five times a second, so tests see failures sooner. */
    public static final List<String> HARNESS_TUNING = List.of("--set", "gossipIntervalMillis=200");

    private final String id;
    private final String host;
    private final int port;
    private final Path dataDir;
    private final Path log;
    private final Path tmpDir;
    private final String members;
    private final List<String> extraArgs;
    private final boolean harnessTuning;
    private Process process;

    public NodeProcess(String id, String host, int port, Path root, String members, List<String> extraArgs) {
        this(id, host, port, root, members, extraArgs, true);
    }

    /**
     * @param harnessTuning whether the node gets {@link #HARNESS_TUNING} before {@code extraArgs}; false
     *                      starts it with its own defaults plus {@code extraArgs} only
     */
    public NodeProcess(String id, String host, int port, Path root, String members, List<String> extraArgs,
                       boolean harnessTuning) {
        this.harnessTuning = harnessTuning;
        this.id = id;
        this.host = host;
        this.port = port;
        this.dataDir = root.resolve(id);
        this.log = root.resolve(id + ".log");
        this.tmpDir = root.resolve(id + ".tmp");
        this.members = members;
        this.extraArgs = List.copyOf(extraArgs);
    }

    public static Path jar() {
        String jar = System.getProperty("kvorum.jar", "../coordinator/target/kvorum.jar");
        Path p = Path.of(jar).toAbsolutePath().normalize();
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("the node jar " + p + " is missing: run the tests with 'mvn verify' "
                    + "from the repository root so that the coordinator module is packaged first");
        }
        return p;
    }

    public String id() {
        return id;
    }

    public String url() {
        return "http://" + host + ":" + port;
    }

    public Path logFile() {
        return log;
    }

    /** The node JVM's own {@code java.io.tmpdir}, so that what it leaves there can be checked. */
    public Path tmpDir() {
        return tmpDir;
    }

    /** The loopback address this node listens on and binds its outgoing connections to. */
    public String host() {
        return host;
    }

    /** The port this node listens on. */
    public int port() {
        return port;
    }

    /** The operating system's process id of the running node JVM. */
    public long pid() {
        if (process == null) {
            throw new IllegalStateException(id + " was never started");
        }
        return process.pid();
    }

    /** SIGSTOP: the JVM freezes with its sockets open, so peers see silence rather than refusals. */
    public void pause() throws IOException, InterruptedException {
        signal("STOP");
    }

    /** SIGCONT: a paused JVM carries on where it stopped. */
    public void resume() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String name) throws IOException, InterruptedException {
        if (!isAlive()) {
            throw new IllegalStateException("cannot send SIG" + name + " to " + id + ": it is not running");
        }
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid()))
                .redirectErrorStream(true).start();
        String output = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IllegalStateException("kill -" + name + " " + process.pid() + " (" + id + ") failed: " + output.trim());
        }
    }

    public void start() throws IOException {
        Files.createDirectories(tmpDir);
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-Djava.io.tmpdir=" + tmpDir, "-jar", jar().toString(), "node",
                "--id", id, "--host", host, "--port", Integer.toString(port),
                "--data-dir", dataDir.toString(), "--members", members, "--secret", SystemCluster.SECRET));
        if (harnessTuning) {
            cmd.addAll(HARNESS_TUNING);
        }
        cmd.addAll(extraArgs);
        process = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed. */
    public void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** SIGTERM: the node shuts down gracefully. */
    public int terminate() throws InterruptedException {
        if (process == null) {
            return -1;
        }
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }
}
