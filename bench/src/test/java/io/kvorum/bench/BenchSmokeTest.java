package io.kvorum.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keeps the tool from rotting: the bench engine against the ceiling server, in-process, for a
 * few hundred operations. Not a benchmark.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class BenchSmokeTest {
    private static Vertx server;
    private static Vertx client;
    private static int port;

    @BeforeAll
    static void startCeilingServer() throws Exception {
        server = Vertx.vertx();
        client = Vertx.vertx();
        port = await(CeilingServer.deploy(server, "127.0.0.1", 0, 2));
    }

    @AfterAll
    static void stop() throws Exception {
        await(client.close());
        await(server.close());
    }

    @Test
    void loadsThenRunsACountedWorkloadWithoutErrors() throws Exception {
        BenchConfig config = config(Conflict.LWW).withRun(null, 400L, 0);
        BenchResult result = run(config);
        assertNotNull(result.load());
        assertEquals(200, result.load().count());
        assertEquals(400, result.total().count());
        assertEquals(0, result.errors());
        BenchResult parsed = new ResultJson().read(new ResultJson().write(result));
        assertEquals(result, parsed);
    }

    @Test
    void siblingsBucketRunsReadModifyWriteForATimedSecond() throws Exception {
        BenchResult result = run(config(Conflict.SIBLINGS).withRun(1.0, null, 0.2));
        assertTrue(result.total().count() > 0);
        assertEquals(0, result.errors(), result.errorsByStatus().toString());
    }

    @Test
    void casUpdatesRunGetThenAConditionalPut() throws Exception {
        BenchResult result = run(config(Conflict.CAS).withRun(null, 200L, 0));
        assertEquals(200, result.total().count());
        assertEquals(0, result.errors(), result.errorsByStatus().toString());
    }

    @Test
    void targetRateIsHeldAndMeasuredFromIntendedStarts() throws Exception {
        BenchConfig base = config(Conflict.LWW).withRun(1.0, null, 0);
        BenchConfig paced = new BenchConfig(base.nodes(), base.bucket(), base.conflict(), base.workload(),
                base.distribution(), base.records(), base.valueSize(), base.concurrency(), base.threads(),
                base.durationSeconds(), null, 0, null, null, 300, true, 5, 5000);
        BenchResult result = run(paced);
        assertEquals(0, result.errors());
        assertEquals(300, result.throughput(), 60);
    }

    private static BenchConfig config(Conflict conflict) {
        return new BenchConfig(List.of(new Endpoint("127.0.0.1", port)), "smoke", conflict, Workload.named("A"),
                Distribution.ZIPFIAN, 200, 256, 8, 2, 1.0, null, 0, "QUORUM", "QUORUM", 0, true, 1, 5000);
    }

    private static BenchResult run(BenchConfig config) throws Exception {
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        return await(new BenchEngine(client, config, new PrintStream(progress, true, StandardCharsets.UTF_8)).run());
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }
}
