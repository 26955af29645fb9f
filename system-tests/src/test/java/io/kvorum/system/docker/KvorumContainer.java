package io.kvorum.system.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Volume;
import org.testcontainers.containers.ContainerLaunchException;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.AbstractWaitStrategy;
import org.testcontainers.utility.DockerImageName;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/**
 * One Kvorum node in a container of the image under test, on the host network: it listens on
 * its own loopback address and port, configured only by KVORUM_* environment variables as a user
 * of the image would. Its data is a named volume mounted at /data, which outlives the container,
 * so {@link #stopGracefully} followed by {@link #start} is a node restarted on its data in a new
 * container.
 */
final class KvorumContainer implements AutoCloseable {
    static final long MEMORY_LIMIT_BYTES = 512L * 1024 * 1024;

    private final DockerClient docker;
    private final String image;
    private final String nodeId;
    private final String host;
    private final int port;
    private final String members;
    private final String secret;
    private final String name;
    private final String volume;
    private final Path logDir;
    private GenericContainer<?> container;

    KvorumContainer(DockerClient docker, String image, String runId, String nodeId, String host, int port,
                    String members, String secret, Path logDir) {
        this.docker = docker;
        this.image = image;
        this.nodeId = nodeId;
        this.host = host;
        this.port = port;
        this.members = members;
        this.secret = secret;
        this.name = "kvorum-test-" + runId + "-" + nodeId;
        this.volume = name + "-data";
        this.logDir = logDir;
    }

    String nodeId() {
        return nodeId;
    }

    String url() {
        return "http://" + host + ":" + port;
    }

    String volume() {
        return volume;
    }

    /** Creates the data volume, then a new container on it; returns once GET /ready answers 200. */
    @SuppressWarnings("resource")
    void start() {
        if (container != null) {
            throw new IllegalStateException(name + " is already running");
        }
        String owner = Long.toString(ProcessHandle.current().pid());
        try {
            docker.inspectVolumeCmd(volume).exec();
        } catch (NotFoundException e) {
            DockerEnvironment.createVolume(docker, volume);
        }
        GenericContainer<?> c = new GenericContainer<>(DockerImageName.parse(image))
                .withNetworkMode("host")
                .withEnv("KVORUM_NODE_ID", nodeId)
                .withEnv("KVORUM_HOST", host)
                .withEnv("KVORUM_PORT", Integer.toString(port))
                .withEnv("KVORUM_MEMBERS", members)
                .withEnv("KVORUM_SECRET", secret)
                // Gossip five times a second: the failure detector convicts a stopped node in
                // about 4 s instead of about 20 s at the default interval.
                .withEnv("KVORUM_GOSSIP_INTERVAL_MILLIS", "200")
                .withLabel(DockerEnvironment.LABEL, owner)
                .withCreateContainerCmdModifier(cmd -> {
                    cmd.withName(name);
                    cmd.getHostConfig().withBinds(new Bind(volume, new Volume("/data")))
                            .withMemory(MEMORY_LIMIT_BYTES);
                })
                .waitingFor(new ReadyWait(url()).withStartupTimeout(Duration.ofSeconds(90)));
        container = c;
        try {
            c.start();
        } catch (ContainerLaunchException e) {
            saveLogs();
            throw e;
        }
    }

    /** The Docker health status of the running container: starting, healthy or unhealthy. */
    String health() {
        InspectContainerResponse.ContainerState state = docker.inspectContainerCmd(container.getContainerId()).exec()
                .getState();
        return state.getHealth() == null ? "none" : state.getHealth().getStatus();
    }

    /** What {@link #stopGracefully} observed. */
    record Stopped(int exitCode, long millis) {
    }

    /**
     * {@code docker stop}: SIGTERM to the container's PID 1 (tini), which passes it to the JVM,
     * and SIGKILL only if it is still running after 30 s. Then the container is removed; the
     * volume stays.
     */
    Stopped stopGracefully() {
        String id = container.getContainerId();
        long t0 = System.nanoTime();
        docker.stopContainerCmd(id).withTimeout(30).exec();
        long millis = (System.nanoTime() - t0) / 1_000_000;
        Long exit = docker.inspectContainerCmd(id).exec().getState().getExitCodeLong();
        close();
        return new Stopped(exit == null ? -1 : exit.intValue(), millis);
    }

    /** Removes the container (not the volume), keeping its output in target/docker-logs. */
    @Override
    public void close() {
        if (container == null) {
            return;
        }
        try {
            saveLogs();
            container.stop();
        } finally {
            container = null;
        }
    }

    private void saveLogs() {
        try {
            Files.createDirectories(logDir);
            String logs = container.getContainerId() == null ? "" : container.getLogs();
            Files.writeString(logDir.resolve(name + ".log"), "---- container " + container.getContainerId() + "\n" + logs,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException | RuntimeException e) {
            System.out.println("could not save the logs of " + name + ": " + e.getMessage());
        }
    }

    /** Waits until GET /ready on the node's own address answers 200 (the host network has no mapped ports). */
    private static final class ReadyWait extends AbstractWaitStrategy {
        private final String url;
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

        ReadyWait(String url) {
            this.url = url;
        }

        @Override
        protected void waitUntilReady() {
            String[] last = {"no answer"};
            try {
                org.awaitility.Awaitility.await().atMost(startupTimeout).pollInterval(Duration.ofMillis(200))
                        .until(() -> {
                            if (!waitStrategyTarget.isRunning()) {
                                throw new ContainerLaunchException("the container exited before " + url
                                        + "/ready answered 200");
                            }
                            try {
                                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(url + "/ready"))
                                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                                last[0] = "status " + r.statusCode();
                                return r.statusCode() == 200;
                            } catch (IOException e) {
                                last[0] = e.toString();
                                return false;
                            }
                        });
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new ContainerLaunchException(url + "/ready did not answer 200 within " + startupTimeout
                        + " (last: " + last[0] + ")");
            }
        }
    }
}
