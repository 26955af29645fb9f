package io.kvorum.node.http;

import io.kvorum.node.cluster.ClusterView;
import io.kvorum.node.cluster.GossipService;
import io.kvorum.node.coord.Hinter;
import io.kvorum.node.replica.InternalCodec;
import io.kvorum.ring.Node;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;

/**
 * The internal endpoints of membership and the sloppy quorum: a gossip exchange, and a write
 * handed to this node as a fallback, to be held as a hint for the primary it stands in for.
 */
public final class ClusterHandlers {
    private final ClusterView view;
    private final GossipService gossip;
    private final Hinter hinter;

    public ClusterHandlers(ClusterView view, GossipService gossip, Hinter hinter) {
        this.view = view;
        this.gossip = gossip;
        this.hinter = hinter;
    }

    public void gossip(RoutingContext ctx) {
        byte[] reply;
        try {
            reply = gossip.onGossip(body(ctx));
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("bad gossip message: " + e.getMessage());
        }
        ctx.response().putHeader("Content-Type", "application/octet-stream").end(Buffer.buffer(reply));
    }

    public void shutdown(RoutingContext ctx) {
        try {
            gossip.onShutdown(body(ctx));
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("bad shutdown announcement: " + e.getMessage());
        }
        ctx.response().setStatusCode(200).end();
    }

    public void hint(RoutingContext ctx) {
        InternalCodec.HintRequest req;
        try {
            req = InternalCodec.decodeHint(body(ctx));
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("bad hint: " + e.getMessage());
        }
        Node primary = view.ring().members().get(req.primaryId());
        if (primary == null) {
            throw ApiError.badRequest("the hint names '" + req.primaryId() + "', which is not a member");
        }
        hinter.hint(primary, req.key(), req.record()).onSuccess(stored -> {
            if (stored) {
                ctx.response().end();
            } else {
                ctx.fail(new ApiError(503, "Service Unavailable", "node " + view.selfId() + " did not store the hint "
                        + "for " + primary.id() + ": its hint window has passed or the hint store is full"));
            }
        }).onFailure(ctx::fail);
    }

    private static byte[] body(RoutingContext ctx) {
        Buffer b = ctx.body().buffer();
        if (b == null) {
            throw ApiError.badRequest("empty body");
        }
        return b.getBytes();
    }
}
