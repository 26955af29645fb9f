package io.kvorum.system.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectVolumeResponse;
import com.github.dockerjava.api.command.PullImageResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import io.kvorum.system.NodeProcess;
import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.dockerclient.DockerClientConfigUtils;
import org.testcontainers.dockerclient.DockerClientProviderStrategy;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.utility.TestcontainersConfiguration;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The Docker side of the container tests: whether a Docker engine is usable (a missing engine
 * fails the test when {@code CI=true} and skips it elsewhere), building the Kvorum image from
 * {@code docker/Dockerfile}, and removing what a killed earlier run left behind.
 *
 * <p>Testcontainers' Ryuk reaper needs an image from Docker Hub; where none can be pulled, run
 * with {@code TESTCONTAINERS_RYUK_DISABLED=true} (as {@code .ci/run} does). The tests remove their
 * containers and volumes themselves, and {@link #removeLeftovers} removes those of a test JVM
 * that was killed before it could.
 */
final class DockerEnvironment {
    /** The tag the tests build; kept between runs so that the apt layer stays cached. */
    static final String IMAGE = "kvorum:system-test";
    static final String BASE_IMAGE = "debian:bookworm-slim";
    /** Label on every container and volume the tests create; the value is the creating JVM's pid. */
    static final String LABEL = "io.kvorum.system-test";

    private DockerEnvironment() {
    }

    /**
     * A Docker client, or the test is failed (CI) or skipped (elsewhere) with the reason. The
     * engine is probed, and each image Testcontainers or the build will need (Ryuk's unless
     * TESTCONTAINERS_RYUK_DISABLED=true, alpine inside a container unless
     * TESTCONTAINERS_HOST_OVERRIDE is set, the base image) is pulled once if missing, before
     * Testcontainers starts: Testcontainers itself retries a pull that cannot succeed for minutes.
     */
    static DockerClient requireDocker() {
        DockerClient raw;
        try {
            raw = DockerClientProviderStrategy.getClientForConfig(DockerClientFactory.instance().getTransportConfig());
            raw.pingCmd().exec();
        } catch (Throwable e) {
            return unavailable("no usable Docker engine (" + describe(e) + ")");
        }
        try (DockerClient probe = raw) {
            if (!Boolean.parseBoolean(System.getenv("TESTCONTAINERS_RYUK_DISABLED"))) {
                String ryuk = ryukImage();
                if (!presentOrPulled(probe, ryuk)) {
                    return unavailable("Testcontainers' Ryuk image " + ryuk + " is not present and cannot be pulled");
                }
            }
            if (DockerClientConfigUtils.IN_A_CONTAINER && isBlank(System.getenv("TESTCONTAINERS_HOST_OVERRIDE"))
                    && !presentOrPulled(probe, "alpine:3.17")) {
                // Inside a container (/.dockerenv), Testcontainers looks for the Docker host's address
                // by running `ip route` in alpine:3.17 unless the bridge network names its gateway.
                return unavailable("this machine looks like a container (/.dockerenv), and the alpine:3.17 image "
                        + "Testcontainers then runs to find the Docker host's address cannot be pulled; set "
                        + "TESTCONTAINERS_HOST_OVERRIDE=127.0.0.1 (the nodes run on the host network)");
            }
            if (!presentOrPulled(probe, BASE_IMAGE)) {
                return unavailable("the base image " + BASE_IMAGE + " is not present and cannot be pulled; create it "
                        + "with debootstrap and docker import as .ci/run does");
            }
        } catch (IOException e) {
            // closing the probe client failed: harmless
        }
        try {
            return DockerClientFactory.instance().client();
        } catch (Throwable e) {
            return unavailable("Testcontainers cannot use the Docker engine (" + describe(e) + ")");
        }
    }

    /**
     * The image Testcontainers starts Ryuk from: {@code ryuk.container.image} when configured,
     * else the one Testcontainers 2.0.5 (the version in system-tests/pom.xml) hard-codes. After a
     * Testcontainers upgrade a stale tag here only costs one extra pull where a registry is reachable.
     */
    private static String ryukImage() {
        String configured = TestcontainersConfiguration.getInstance().getRyukImage();
        return configured.equals("testcontainers/ryuk:latest") ? "testcontainers/ryuk:0.14.0" : configured;
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    /** True if the image is local, or one pull attempt (bounded) brought it. */
    private static boolean presentOrPulled(DockerClient docker, String image) {
        if (imageId(docker, image).isPresent()) {
            return true;
        }
        int colon = image.lastIndexOf(':');
        boolean tagged = colon > image.lastIndexOf('/');
        String repository = tagged ? image.substring(0, colon) : image;
        String tag = tagged ? image.substring(colon + 1) : "latest";
        try {
            docker.pullImageCmd(repository).withTag(tag).exec(new PullImageResultCallback())
                    .awaitCompletion(3, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            System.out.println("cannot pull " + image + ": " + e.getMessage());
        }
        return imageId(docker, image).isPresent();
    }

    private static <T> T unavailable(String what) {
        String message = "Docker container tests cannot run: " + what + ". Install and start a Docker engine "
                + "(bash .ci/run installs docker.io, starts dockerd and creates " + BASE_IMAGE + "); where "
                + "Testcontainers' Ryuk image cannot be pulled, set TESTCONTAINERS_RYUK_DISABLED=true (.ci/run does).";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError(message + " CI=true, so this is a failure, not a skip.");
        }
        System.out.println("SKIPPED: " + message);
        Assumptions.abort(message);
        throw new IllegalStateException("unreachable");
    }

    private static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null && sb.length() < 600; t = t.getCause()) {
            if (sb.length() > 0) {
                sb.append("; caused by ");
            }
            sb.append(t.getClass().getSimpleName()).append(": ").append(t.getMessage());
            if (t.getCause() == t) {
                break;
            }
        }
        return sb.toString();
    }

    static Optional<String> imageId(DockerClient docker, String name) {
        try {
            return Optional.ofNullable(docker.inspectImageCmd(name).exec().getId());
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    /** The repository root: the parent of the system-tests module directory. */
    static Path repositoryRoot() {
        Path module = Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath();
        for (Path p = module; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("docker/Dockerfile"))) {
                return p;
            }
        }
        throw new IllegalStateException("docker/Dockerfile not found above " + module);
    }

    /**
     * Builds {@link #IMAGE} from docker/Dockerfile with the repository root as the build context,
     * as {@code docker build -f docker/Dockerfile .} does. Only the files that
     * docker/Dockerfile.dockerignore lets through (its {@code !path} lines: the jar and the
     * healthcheck) are sent, at their repository paths, and the jar is the one this test run
     * uses. The build runs on the host network, so RUN apt-get does not depend on the engine's
     * bridge and NAT. The previous image of the same tag is removed once the new one exists; the
     * apt layer they share stays cached.
     */
    static String buildImage(DockerClient docker) throws IOException {
        Path root = repositoryRoot();
        Optional<String> previous = imageId(docker, IMAGE);
        ImageFromDockerfile build = new ImageFromDockerfile(IMAGE, false)
                .withDockerfilePath("docker/Dockerfile")
                .withFileFromPath("docker/Dockerfile", root.resolve("docker/Dockerfile"))
                .withBuildImageCmdModifier(cmd -> cmd.withNetworkMode("host"));
        for (String path : contextFiles(root)) {
            Path source = path.equals("coordinator/target/kvorum.jar") ? NodeProcess.jar() : root.resolve(path);
            build.withFileFromPath(path, source);
        }
        String name = build.get();
        String current = imageId(docker, IMAGE).orElseThrow();
        if (previous.isPresent() && !previous.get().equals(current)) {
            try {
                docker.removeImageCmd(previous.get()).exec();
            } catch (RuntimeException e) {
                // still used by a container, or already gone: leave it
            }
        }
        return name;
    }

    /** The {@code !path} lines of docker/Dockerfile.dockerignore: what the image is built from. */
    static List<String> contextFiles(Path root) throws IOException {
        List<String> files = new ArrayList<>();
        for (String line : Files.readAllLines(root.resolve("docker/Dockerfile.dockerignore"))) {
            String l = line.strip();
            if (l.startsWith("!")) {
                files.add(l.substring(1).replaceFirst("^/", ""));
            }
        }
        if (files.isEmpty()) {
            throw new IllegalStateException("docker/Dockerfile.dockerignore names no file to send");
        }
        return files;
    }

    /**
     * Removes the containers and volumes labelled {@link #LABEL} whose creating JVM is no longer
     * running: what a test JVM killed before its cleanup left (Ryuk would reap them, when it runs).
     */
    static void removeLeftovers(DockerClient docker) {
        List<Container> containers = docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(List.of(LABEL)).exec();
        for (Container c : containers) {
            if (!ownerAlive(c.getLabels().get(LABEL))) {
                System.out.println("removing leftover container " + String.join(",", c.getNames()));
                try {
                    docker.removeContainerCmd(c.getId()).withForce(true).withRemoveVolumes(true).exec();
                } catch (NotFoundException e) {
                    // gone already
                }
            }
        }
        List<InspectVolumeResponse> volumes = docker.listVolumesCmd()
                .withFilter("label", List.of(LABEL)).exec().getVolumes();
        for (InspectVolumeResponse v : volumes == null ? List.<InspectVolumeResponse>of() : volumes) {
            Map<String, String> labels = v.getLabels() == null ? Map.of() : v.getLabels();
            if (!ownerAlive(labels.get(LABEL))) {
                System.out.println("removing leftover volume " + v.getName());
                removeVolume(docker, v.getName());
            }
        }
    }

    private static boolean ownerAlive(String pid) {
        try {
            return ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
        } catch (RuntimeException e) {
            return false;
        }
    }

    static void createVolume(DockerClient docker, String name) {
        docker.createVolumeCmd().withName(name)
                .withLabels(Map.of(LABEL, Long.toString(ProcessHandle.current().pid()))).exec();
    }

    static void removeVolume(DockerClient docker, String name) {
        try {
            docker.removeVolumeCmd(name).exec();
        } catch (NotFoundException e) {
            // gone already
        } catch (RuntimeException e) {
            System.out.println("could not remove volume " + name + ": " + e.getMessage());
        }
    }
}
