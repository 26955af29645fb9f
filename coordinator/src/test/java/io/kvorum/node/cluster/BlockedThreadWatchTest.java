package io.kvorum.node.cluster;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BlockedThreadWatchTest {

    @Test
    void aBlockedEventLoopFailsTheCheck() throws Exception {
        BlockedThreadWatch watch = BlockedThreadWatch.install();
        Vertx vertx = Vertx.vertx(new VertxOptions()
                .setBlockedThreadCheckInterval(20).setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS)
                .setMaxEventLoopExecuteTime(50).setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS));
        CountDownLatch done = new CountDownLatch(1);
        vertx.runOnContext(v -> {
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(400);
            while (System.nanoTime() < until) {
                Thread.onSpinWait(); // deliberately hog the event loop
            }
            done.countDown();
        });
        assertTrue(done.await(10, TimeUnit.SECONDS));
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThrows(AssertionError.class, watch::uninstallAndCheck);
    }

    @Test
    void aQuietRunPasses() {
        BlockedThreadWatch watch = BlockedThreadWatch.install();
        assertDoesNotThrow(watch::uninstallAndCheck);
    }
}
