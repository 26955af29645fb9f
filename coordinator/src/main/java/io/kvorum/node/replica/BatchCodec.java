package io.kvorum.node.replica;

import io.vertx.core.buffer.Buffer;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Binary bodies of {@code POST /internal/v1/batch}: several replica messages for one peer in one
 * HTTP exchange, and their results in the same order.
 *
 * <pre>
 * request:  version(1) count(int) { type(1) maxSiblings(int) requestIdLength(short) requestId payloadLength(int) payload }*
 * response: version(1) count(int) { status(short) bodyLength(int) body }*
 * </pre>
 *
 * A payload is the body the single-message call would send ({@link InternalCodec}); a result's
 * status and body are what that call would answer (200 and a record, 404, 409 and a message, ...),
 * except for {@link #MERGE_ACK}: a merge answered by its status alone (200 with an empty body once
 * the merge is durable), for senders that do not need the merged record back.
 */
public final class BatchCodec {
    public static final byte VERSION = 1;
    public static final byte READ = 1;
    public static final byte MERGE = 2;
    public static final byte WRITE = 3;
    /** A merge (payload as {@link #MERGE}) answered without the merged record: 200 and an empty body. */
    public static final byte MERGE_ACK = 4;
    private static final byte[] NONE = new byte[0];

    private BatchCodec() {
    }

    /** One replica message: its type, the sibling cap (writes only), the client request id (or null). */
    public record Op(byte type, int maxSiblings, String requestId, byte[] payload) {
        public Op {
            if (type != READ && type != MERGE && type != WRITE && type != MERGE_ACK) {
                throw new IllegalArgumentException("unknown batch operation type " + type);
            }
        }

        /** About the bytes it takes in a batch (request ids are short ASCII); what batch sizes are measured in. */
        int encodedSize() {
            return 1 + 4 + 2 + (requestId == null ? 0 : requestId.length()) + 4 + payload.length;
        }
    }

    /** The outcome of one message: an HTTP-like status and a body (a record, or an error's message). */
    public record Result(int status, byte[] body) {
        public static Result of(int status, String message) {
            return new Result(status, message.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Encodes a request straight into the buffer that is sent (no intermediate array). */
    public static Buffer encodeRequest(List<Op> ops) {
        byte[][] ids = new byte[ops.size()][];
        int size = 5;
        for (int i = 0; i < ops.size(); i++) {
            String id = ops.get(i).requestId();
            ids[i] = id == null ? NONE : id.getBytes(StandardCharsets.UTF_8);
            if (ids[i].length > Short.MAX_VALUE) {
                ids[i] = NONE; // request ids are checked for length on the way in; never worth failing a write for
            }
            size += 1 + 4 + 2 + ids[i].length + 4 + ops.get(i).payload().length;
        }
        Buffer b = Buffer.buffer(size);
        b.appendByte(VERSION).appendInt(ops.size());
        for (int i = 0; i < ops.size(); i++) {
            Op op = ops.get(i);
            b.appendByte(op.type()).appendInt(op.maxSiblings()).appendShort((short) ids[i].length).appendBytes(ids[i])
                    .appendInt(op.payload().length).appendBytes(op.payload());
        }
        return b;
    }

    /**
     * Decodes a request where it was received (no copy of the whole body); a malformed body is an
     * {@link IllegalArgumentException} naming what is wrong.
     */
    public static List<Op> decodeRequest(Buffer body, int maxOps) {
        try {
            Reader b = new Reader(body);
            version(b.get());
            int count = b.getInt();
            if (count < 0 || count > maxOps) {
                throw new IllegalArgumentException("a batch holds 0 to " + maxOps + " messages, not " + count);
            }
            List<Op> ops = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                byte type = b.get();
                int maxSiblings = b.getInt();
                byte[] id = b.bytes(b.getShort());
                byte[] payload = b.bytes(b.getInt());
                ops.add(new Op(type, maxSiblings, id.length == 0 ? null : new String(id, StandardCharsets.UTF_8),
                        payload));
            }
            b.trailing();
            return ops;
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("truncated batch body", e);
        }
    }

    public static Buffer encodeResponse(List<Result> results) {
        int size = 5;
        for (Result r : results) {
            size += 2 + 4 + r.body().length;
        }
        Buffer b = Buffer.buffer(size);
        b.appendByte(VERSION).appendInt(results.size());
        for (Result r : results) {
            b.appendShort((short) r.status()).appendInt(r.body().length).appendBytes(r.body());
        }
        return b;
    }

    /** Decodes a response that must answer exactly {@code expected} messages. */
    public static List<Result> decodeResponse(byte[] body, int expected) {
        try {
            ByteBuffer b = ByteBuffer.wrap(body);
            version(b.get());
            int count = b.getInt();
            if (count != expected) {
                throw new IllegalArgumentException("the batch answer holds " + count + " results for " + expected
                        + " messages");
            }
            List<Result> results = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                int status = b.getShort();
                results.add(new Result(status, bytes(b, b.getInt())));
            }
            trailing(b.remaining());
            return results;
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("truncated batch answer", e);
        }
    }

    private static void version(byte v) {
        if (v != VERSION) {
            throw new IllegalArgumentException("unknown batch format version " + v);
        }
    }

    private static byte[] bytes(ByteBuffer b, int len) {
        frame(len, b.remaining());
        if (len == 0) {
            return NONE;
        }
        byte[] out = new byte[len];
        b.get(out);
        return out;
    }

    /** Reads a Vert.x buffer in order, as a {@link ByteBuffer} would (and failing the same way). */
    private static final class Reader {
        private final Buffer buffer;
        private int pos;

        Reader(Buffer buffer) {
            this.buffer = buffer;
        }

        private int take(int n) {
            if (buffer.length() - pos < n) {
                throw new BufferUnderflowException();
            }
            int at = pos;
            pos += n;
            return at;
        }

        byte get() {
            return buffer.getByte(take(1));
        }

        short getShort() {
            return buffer.getShort(take(2));
        }

        int getInt() {
            return buffer.getInt(take(4));
        }

        byte[] bytes(int len) {
            frame(len, buffer.length() - pos);
            if (len == 0) {
                return NONE;
            }
            int at = take(len);
            return buffer.getBytes(at, at + len);
        }

        void trailing() {
            BatchCodec.trailing(buffer.length() - pos);
        }
    }

    private static void trailing(int remaining) {
        if (remaining > 0) {
            throw new IllegalArgumentException(remaining + " trailing bytes");
        }
    }

    private static void frame(int len, int remaining) {
        if (len < 0 || len > remaining) {
            throw new IllegalArgumentException("bad frame length " + len);
        }
    }
}
