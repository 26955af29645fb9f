package io.kvorum.node.bucket;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kvorum.node.cluster.ClusterView;
import io.kvorum.node.replica.HttpInternalClient;
import io.kvorum.ring.Clock;
import io.kvorum.ring.HlcGenerator;
import io.kvorum.ring.HlcTimestamp;
import io.kvorum.ring.Node;
import io.kvorum.ring.RingSnapshot;
import io.kvorum.storage.Durability;
import io.kvorum.storage.MapDbStorageEngine;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BucketRegistryTest {
    @TempDir
    Path dir;
    private final Vertx vertx = Vertx.vertx();
    private MapDbStorageEngine engine;

    @AfterEach
    void close() throws Exception {
        if (engine != null) {
            engine.close();
        }
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /**
     * A stored change is answered on the event loop that asked, not on the storage writer's thread
     * (where the PUT /buckets response and the pushes to peers would otherwise be written from).
     */
    @Test
    void aStoredChangeCompletesOnTheCallersEventLoopAndSurvivesAReload() throws Exception {
        engine = MapDbStorageEngine.open(dir, Durability.SYNC, 10);
        BucketRegistry registry = registry();
        BucketProps props = BucketProps.defaults()
                .withJson(new ObjectMapper().readTree("{\"n\": 1, \"conflict\": \"lww\"}"));
        VersionedProps change = new VersionedProps(props, new HlcTimestamp(1_000, 0, "n1"));
        Context context = vertx.getOrCreateContext();
        CompletableFuture<Thread> loop = new CompletableFuture<>();
        CompletableFuture<Thread> answeredOn = new CompletableFuture<>();
        context.runOnContext(v -> {
            loop.complete(Thread.currentThread());
            registry.accept("b1", change).onComplete(ar -> {
                if (ar.succeeded()) {
                    answeredOn.complete(Thread.currentThread());
                } else {
                    answeredOn.completeExceptionally(ar.cause());
                }
            });
        });
        assertEquals(loop.get(10, TimeUnit.SECONDS), answeredOn.get(10, TimeUnit.SECONDS));
        assertTrue(engine.readMeta().get(10, TimeUnit.SECONDS).containsKey("bucket/b1"), "the change was stored");

        BucketRegistry reloaded = registry();
        reloaded.load().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals(props, reloaded.props("b1"));
        assertEquals(1, reloaded.props("b1").n());
    }

    private BucketRegistry registry() {
        List<Node> members = List.of(new Node("n1", "127.0.0.1", 1));
        ClusterView view = new ClusterView("n1", RingSnapshot.create(1, 8, members), 0);
        return new BucketRegistry(vertx, new ObjectMapper(), engine, view,
                new HttpInternalClient(vertx, "secret", null, 1), new HlcGenerator(Clock.system(), "n1"),
                BucketProps.defaults(), 1);
    }
}
