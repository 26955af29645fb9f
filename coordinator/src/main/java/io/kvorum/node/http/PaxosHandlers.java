package io.kvorum.node.http;

import io.kvorum.node.replica.LocalReplica;
import io.kvorum.storage.paxos.PaxosCodec;
import io.kvorum.storage.paxos.PaxosReplica;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;

import java.util.function.Function;

/**
 * The acceptor's side of the internal Paxos API: {@code POST /internal/v1/paxos/prepare},
 * {@code /propose} and {@code /commit}, with the binary bodies of {@link PaxosCodec}. Each answers
 * only once the acceptor's state change is durable. The cluster secret is checked by the
 * {@code /internal/v1/*} guard before these run.
 */
public final class PaxosHandlers {
    private final PaxosReplica acceptor;

    public PaxosHandlers(PaxosReplica acceptor) {
        this.acceptor = acceptor;
    }

    public void prepare(RoutingContext ctx) {
        PaxosCodec.KeyedBallot req = PaxosCodec.decodePrepare(bytes(ctx));
        reply(ctx, LocalReplica.onCaller(acceptor.prepare(req.key(), req.ballot())), PaxosCodec::encodePromise);
    }

    public void propose(RoutingContext ctx) {
        PaxosCodec.KeyedProposal req = PaxosCodec.decodeKeyedProposal(bytes(ctx));
        reply(ctx, LocalReplica.onCaller(acceptor.propose(req.key(), req.proposal())), PaxosCodec::encodeAccept);
    }

    public void commit(RoutingContext ctx) {
        PaxosCodec.KeyedProposal req = PaxosCodec.decodeKeyedProposal(bytes(ctx));
        if (req.proposal().isEmpty()) {
            throw ApiError.badRequest("an empty proposal (a fence) is never committed");
        }
        reply(ctx, LocalReplica.onCaller(acceptor.commit(req.key(), req.proposal())), PaxosCodec::encodeCommit);
    }

    private static <T> void reply(RoutingContext ctx, Future<T> result, Function<T, byte[]> encode) {
        result.onSuccess(r -> KvHandlers.guarded(ctx, () -> ctx.response()
                        .putHeader("Content-Type", "application/octet-stream")
                        .end(Buffer.buffer(encode.apply(r)))))
                .onFailure(ctx::fail);
    }

    private static byte[] bytes(RoutingContext ctx) {
        Buffer b = ctx.body().buffer();
        if (b == null) {
            throw ApiError.badRequest("empty body");
        }
        return b.getBytes();
    }
}
