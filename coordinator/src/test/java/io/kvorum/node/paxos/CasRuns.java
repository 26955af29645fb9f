package io.kvorum.node.paxos;

import io.kvorum.node.paxos.CasCoordinator.CasCommand;
import io.kvorum.node.paxos.CasCoordinator.CasResult;
import io.vertx.core.Vertx;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Runs one CAS command on a Vert.x context and waits for its result (or rethrows its failure). */
final class CasRuns {
    private CasRuns() {
    }

    static CasResult await(Vertx vertx, CasCoordinator cas, CasCommand command, long waitSeconds) throws Exception {
        CompletableFuture<CasResult> result = new CompletableFuture<>();
        vertx.getOrCreateContext().runOnContext(v -> cas.execute(command).onComplete(ar -> {
            if (ar.succeeded()) {
                result.complete(ar.result());
            } else {
                result.completeExceptionally(ar.cause());
            }
        }));
        try {
            return result.get(waitSeconds, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw (Exception) e.getCause();
        }
    }
}
