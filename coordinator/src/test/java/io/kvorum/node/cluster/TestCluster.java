package io.kvorum.node.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kvorum.node.KvorumNode;
import io.kvorum.node.config.ConfigLoader;
import io.kvorum.node.config.NodeConfig;
import io.kvorum.node.replica.HttpInternalClient;
import io.kvorum.ring.Clock;
import io.kvorum.ring.KeyHasher;
import io.kvorum.ring.Partitioner;
import io.kvorum.storage.KeyRecord;
import io.kvorum.storage.RecordCodec;
import io.kvorum.storage.StorageKey;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * A cluster of real nodes in this JVM, each with its own Vert.x instance, port and MapDB data
 * directory, talking real HTTP over loopback. Nodes can be stopped and restarted on the same data.
 */
public final class TestCluster implements AutoCloseable {
    public static final String SECRET = "test-secret";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Path dataRoot;
    private final int size;
    private final int[] ports;
    private final KvorumNode[] nodes;
    private final Map<String, String> extra;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final BlockedThreadWatch blocked = BlockedThreadWatch.install();

    public TestCluster(Path dataRoot, int size, Map<String, String> extraSettings) {
        this.dataRoot = dataRoot;
        this.size = size;
        this.ports = new int[size];
        this.nodes = new KvorumNode[size];
        this.extra = extraSettings;
        for (int i = 0; i < size; i++) {
            ports[i] = freePort();
        }
    }

    public static TestCluster start(Path dataRoot, int size) {
        return start(dataRoot, size, Map.of());
    }

    public static TestCluster start(Path dataRoot, int size, Map<String, String> extraSettings) {
        TestCluster c = new TestCluster(dataRoot, size, extraSettings);
        for (int i = 0; i < size; i++) {
            c.startNode(i);
        }
        return c;
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    public String id(int i) {
        return "n" + (i + 1);
    }

    public String url(int i) {
        return "http://127.0.0.1:" + ports[i];
    }

    public NodeConfig config(int i) {
        List<String> members = new ArrayList<>();
        for (int j = 0; j < size; j++) {
            members.add(id(j) + "@127.0.0.1:" + ports[j]);
        }
        Map<String, String> s = new LinkedHashMap<>();
        s.put("nodeId", id(i));
        s.put("host", "127.0.0.1");
        s.put("port", Integer.toString(ports[i]));
        s.put("dataDir", dataRoot.resolve(id(i)).toString());
        s.put("members", String.join(",", members));
        s.put("secret", SECRET);
        s.put("gossipIntervalMillis", "200");
        s.put("bucketSyncIntervalMillis", "300");
        s.put("hintDeliveryIntervalMillis", "200");
        s.putAll(extra);
        return ConfigLoader.build(s);
    }

    public void startNode(int i) {
        try {
            nodes[i] = KvorumNode.start(config(i), Clock.system()).toCompletionStage().toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("node " + id(i) + " failed to start", e);
        }
    }

    public void stopNode(int i) {
        if (nodes[i] != null) {
            try {
                nodes[i].stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("node " + id(i) + " failed to stop", e);
            }
            nodes[i] = null;
        }
    }

    /** Starts every node a test stopped, then waits until all see all UP: a clean slate per test. */
    public void restartStoppedNodes() {
        for (int i = 0; i < size; i++) {
            if (nodes[i] == null) {
                startNode(i);
            }
        }
        awaitAllSeeAllUp();
    }

    /** Waits until node {@code observer} sees node {@code subject} with the given status. */
    public void awaitStatus(int observer, int subject, String status) {
        await().atMost(Duration.ofSeconds(15)).until(() -> status.equals(statusSeenBy(observer, subject)));
    }

    public void awaitAllSeeAllUp() {
        for (int o = 0; o < size; o++) {
            if (nodes[o] == null) {
                continue;
            }
            for (int s = 0; s < size; s++) {
                if (nodes[s] != null) {
                    awaitStatus(o, s, "UP");
                }
            }
        }
    }

    public String statusSeenBy(int observer, int subject) {
        JsonNode cluster = json(send("GET", url(observer) + "/admin/cluster", null, Map.of()).body());
        for (JsonNode m : cluster.path("members")) {
            if (m.path("id").asText().equals(id(subject))) {
                return m.path("status").asText();
            }
        }
        return "?";
    }

    /** Reads one replica's stored record directly through the internal API, bypassing any quorum. */
    public Optional<KeyRecord> replicaRecord(int i, String bucket, byte[] key, int partitions) {
        int partition = new Partitioner(partitions).partitionOf(KeyHasher.token(bucket, key));
        byte[] body = new StorageKey(partition, bucket, key).encode();
        try {
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(url(i) + "/internal/v1/read"))
                    .header(HttpInternalClient.SECRET_HEADER, SECRET)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() == 404) {
                return Optional.empty();
            }
            if (r.statusCode() != 200) {
                throw new IllegalStateException("replica read answered " + r.statusCode());
            }
            return Optional.of(RecordCodec.decode(r.body()));
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    public HttpResponse<byte[]> send(String method, String url, byte[] body, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        headers.forEach(b::header);
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(method + " " + url + " failed", e);
        }
    }

    public static JsonNode json(byte[] body) {
        try {
            return MAPPER.readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException("not JSON: " + new String(body), e);
        }
    }

    /** Stops every node, then fails if Vert.x reported a blocked event loop at any time. */
    @Override
    public void close() {
        for (int i = 0; i < size; i++) {
            try {
                stopNode(i);
            } catch (RuntimeException ignored) {
                // keep closing the others
            }
        }
        blocked.uninstallAndCheck();
    }
}
