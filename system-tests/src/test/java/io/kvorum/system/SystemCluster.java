package io.kvorum.system;

import io.kvorum.node.replica.HttpInternalClient;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;

/** Several {@link NodeProcess}es forming one cluster on 127.0.0.1, 127.0.0.2, 127.0.0.3, ... */
public final class SystemCluster implements AutoCloseable {
    public static final String SECRET = "system-test-secret";
    private final List<NodeProcess> nodes = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public SystemCluster(Path root, int size, List<String> extraArgs) throws IOException {
        this(root, size, extraArgs, true);
    }

    /**
     * @param harnessTuning whether each node also gets {@link NodeProcess#HARNESS_TUNING}; false
     *                      starts the nodes with their defaults plus {@code extraArgs} only
     */
    public SystemCluster(Path root, int size, List<String> extraArgs, boolean harnessTuning) throws IOException {
        Files.createDirectories(root);
        List<String> specs = new ArrayList<>();
        int[] ports = new int[size];
        for (int i = 0; i < size; i++) {
            ports[i] = freePort();
            specs.add("n" + (i + 1) + "@127.0.0." + (i + 1) + ":" + ports[i]);
        }
        String members = String.join(",", specs);
        for (int i = 0; i < size; i++) {
            nodes.add(new NodeProcess("n" + (i + 1), "127.0.0." + (i + 1), ports[i], root, members, extraArgs,
                    harnessTuning));
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    public NodeProcess node(int i) {
        return nodes.get(i);
    }

    public void startAll() throws IOException {
        for (NodeProcess n : nodes) {
            n.start();
        }
        for (NodeProcess n : nodes) {
            awaitReady(n);
        }
    }

    public void awaitReady(NodeProcess n) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> send("GET", n.url() + "/ready", null, Map.of()).statusCode() == 200);
    }

    public HttpResponse<byte[]> send(String method, String url, byte[] body, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20));
        headers.forEach(b::header);
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + url + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * The record {@code node} itself stores for the key (its replica, read over the internal API,
     * no quorum), or null if it has none.
     */
    public KeyRecord replicaRecord(NodeProcess node, String bucket, String key) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        int partition = new Partitioner(256).partitionOf(KeyHasher.token(bucket, k));
        HttpResponse<byte[]> r = send("POST", node.url() + "/internal/v1/read",
                new StorageKey(partition, bucket, k).encode(), Map.of(HttpInternalClient.SECRET_HEADER, SECRET));
        if (r.statusCode() == 404) {
            return null;
        }
        if (r.statusCode() != 200) {
            throw new IllegalStateException("reading " + bucket + "/" + key + " from " + node.id() + "'s replica: HTTP "
                    + r.statusCode() + " " + new String(r.body(), StandardCharsets.UTF_8));
        }
        return RecordCodec.decode(r.body());
    }

    @Override
    public void close() throws InterruptedException {
        for (NodeProcess n : nodes) {
            n.close();
        }
    }
}
