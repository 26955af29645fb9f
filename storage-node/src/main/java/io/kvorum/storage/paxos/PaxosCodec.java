package io.kvorum.storage.paxos;

import io.kvorum.ring.HlcTimestamp;
import io.kvorum.storage.KeyRecord;
import io.kvorum.storage.RecordCodec;
import io.kvorum.storage.StorageKey;
import io.kvorum.storage.paxos.Acceptor.AcceptOutcome;
import io.kvorum.storage.paxos.Acceptor.AcceptReply;
import io.kvorum.storage.paxos.Acceptor.CommitOutcome;
import io.kvorum.storage.paxos.Acceptor.PrepareOutcome;
import io.kvorum.storage.paxos.Acceptor.PrepareReply;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The binary forms of the Paxos values: the durable {@link PaxosState} and the bodies of the
 * internal Paxos messages. Every form starts with a format-version byte.
 *
 * <pre>
 * ballot   := wallMillis:i64 logical:i32 nodeId:string
 * proposal := ballot opt(record) after:i64    record := RecordCodec bytes, length-prefixed
 * state    := version:u8(=1) opt(ballot) opt(proposal accepted) opt(proposal commit) marks
 * prepare  := version key ballot              (request)
 * promise  := version outcome:u8 ballot opt(proposal accepted) opt(proposal commit) marks opt(record current)
 * marks    := count:i32 { hash:i64 after:i64 }
 * propose  := version key proposal            commit := version key proposal   (requests)
 * accepted := version outcome:u8 opt(ballot)  committed := version outcome:u8
 * opt(x)   := 0 | 1 x        string := length:i32 utf-8        key := StorageKey bytes, length-prefixed
 * </pre>
 *
 * Decoding rejects unknown versions, unknown enum values, truncated input and trailing bytes with
 * an {@link IllegalArgumentException}.
 */
public final class PaxosCodec {
    public static final int FORMAT_VERSION = 1;

    private PaxosCodec() {
    }

    /** A promise (or rejection) with the acceptor's current record of the key, read after the promise. */
    public record Promise(PrepareReply reply, Optional<KeyRecord> current) {
    }

    /** A request that names a key and carries a ballot or a proposal. */
    public record KeyedBallot(StorageKey key, Ballot ballot) {
    }

    public record KeyedProposal(StorageKey key, Proposal proposal) {
    }

    // ---- state ----

    public static byte[] encodeState(PaxosState state) {
        return write(out -> {
            optional(out, state.promised(), PaxosCodec::writeBallot);
            optional(out, state.accepted(), PaxosCodec::writeProposal);
            optional(out, state.mostRecentCommit(), PaxosCodec::writeProposal);
            writeMarks(out, state.recentCommits());
        });
    }

    public static PaxosState decodeState(byte[] bytes) {
        return read(bytes, "paxos state", in -> new PaxosState(optional(in, PaxosCodec::readBallot),
                optional(in, PaxosCodec::readProposal), optional(in, PaxosCodec::readProposal), readMarks(in)));
    }

    // ---- requests ----

    public static byte[] encodePrepare(StorageKey key, Ballot ballot) {
        return write(out -> {
            writeBytes(out, key.encode());
            writeBallot(out, ballot);
        });
    }

    public static KeyedBallot decodePrepare(byte[] bytes) {
        return read(bytes, "prepare request", in -> new KeyedBallot(StorageKey.decode(readBytes(in)), readBallot(in)));
    }

    /** The body of a propose or a commit request. */
    public static byte[] encodeKeyedProposal(StorageKey key, Proposal proposal) {
        return write(out -> {
            writeBytes(out, key.encode());
            writeProposal(out, proposal);
        });
    }

    public static KeyedProposal decodeKeyedProposal(byte[] bytes) {
        return read(bytes, "proposal request",
                in -> new KeyedProposal(StorageKey.decode(readBytes(in)), readProposal(in)));
    }

    // ---- replies ----

    public static byte[] encodePromise(Promise promise) {
        PrepareReply r = promise.reply();
        return write(out -> {
            out.writeByte(r.outcome().ordinal());
            writeBallot(out, r.promised());
            optional(out, r.accepted(), PaxosCodec::writeProposal);
            optional(out, r.mostRecentCommit(), PaxosCodec::writeProposal);
            writeMarks(out, r.recentCommits());
            optional(out, promise.current(), PaxosCodec::writeRecord);
        });
    }

    public static Promise decodePromise(byte[] bytes) {
        return read(bytes, "prepare reply", in -> {
            PrepareOutcome outcome = enumOf(PrepareOutcome.values(), in.get(), "prepare outcome");
            PrepareReply reply = new PrepareReply(outcome, readBallot(in), optional(in, PaxosCodec::readProposal),
                    optional(in, PaxosCodec::readProposal), readMarks(in));
            return new Promise(reply, optional(in, PaxosCodec::readRecord));
        });
    }

    public static byte[] encodeAccept(AcceptReply reply) {
        return write(out -> {
            out.writeByte(reply.outcome().ordinal());
            optional(out, reply.promised(), PaxosCodec::writeBallot);
        });
    }

    public static AcceptReply decodeAccept(byte[] bytes) {
        return read(bytes, "propose reply", in -> new AcceptReply(
                enumOf(AcceptOutcome.values(), in.get(), "accept outcome"), optional(in, PaxosCodec::readBallot)));
    }

    public static byte[] encodeCommit(CommitOutcome outcome) {
        return write(out -> out.writeByte(outcome.ordinal()));
    }

    public static CommitOutcome decodeCommit(byte[] bytes) {
        return read(bytes, "commit reply", in -> enumOf(CommitOutcome.values(), in.get(), "commit outcome"));
    }

    // ---- parts ----

    private interface Writer<T> {
        void write(DataOutputStream out, T value) throws IOException;
    }

    private interface Body {
        void write(DataOutputStream out) throws IOException;
    }

    private static byte[] write(Body body) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT_VERSION);
            body.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static <T> T read(byte[] bytes, String what, Function<ByteBuffer, T> body) {
        if (bytes == null || bytes.length == 0) {
            throw new IllegalArgumentException("empty " + what);
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        int version = in.get() & 0xFF;
        if (version != FORMAT_VERSION) {
            throw new IllegalArgumentException("unknown " + what + " format version " + version
                    + " (this node reads version " + FORMAT_VERSION + ")");
        }
        T value;
        try {
            value = body.apply(in);
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("truncated " + what, e);
        }
        if (in.hasRemaining()) {
            throw new IllegalArgumentException(what + " has " + in.remaining() + " trailing bytes");
        }
        return value;
    }

    private static <T> void optional(DataOutputStream out, Optional<T> value, Writer<T> writer) throws IOException {
        out.writeByte(value.isPresent() ? 1 : 0);
        if (value.isPresent()) {
            writer.write(out, value.get());
        }
    }

    private static <T> Optional<T> optional(ByteBuffer in, Function<ByteBuffer, T> reader) {
        int flag = in.get();
        return switch (flag) {
            case 0 -> Optional.empty();
            case 1 -> Optional.of(reader.apply(in));
            default -> throw new IllegalArgumentException("bad presence flag " + flag);
        };
    }

    private static void writeBallot(DataOutputStream out, Ballot ballot) throws IOException {
        out.writeLong(ballot.stamp().wallMillis());
        out.writeInt(ballot.stamp().logical());
        writeBytes(out, ballot.proposer().getBytes(StandardCharsets.UTF_8));
    }

    private static Ballot readBallot(ByteBuffer in) {
        long wall = in.getLong();
        int logical = in.getInt();
        String node = new String(readBytes(in), StandardCharsets.UTF_8);
        try {
            return new Ballot(new HlcTimestamp(wall, logical, node));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad ballot: " + e.getMessage(), e);
        }
    }

    private static void writeProposal(DataOutputStream out, Proposal proposal) throws IOException {
        writeBallot(out, proposal.ballot());
        optional(out, proposal.update(), PaxosCodec::writeRecord);
        out.writeLong(proposal.after());
    }

    private static Proposal readProposal(ByteBuffer in) {
        return new Proposal(readBallot(in), optional(in, PaxosCodec::readRecord), in.getLong());
    }

    private static void writeMarks(DataOutputStream out, List<CommitMark> marks) throws IOException {
        out.writeInt(marks.size());
        for (CommitMark m : marks) {
            out.writeLong(m.hash());
            out.writeLong(m.after());
        }
    }

    private static List<CommitMark> readMarks(ByteBuffer in) {
        int count = in.getInt();
        if (count < 0 || count > in.remaining() / 16) {
            throw new IllegalArgumentException("bad commit mark count " + count);
        }
        List<CommitMark> marks = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            marks.add(new CommitMark(in.getLong(), in.getLong()));
        }
        return marks;
    }

    private static void writeRecord(DataOutputStream out, KeyRecord record) throws IOException {
        writeBytes(out, RecordCodec.encode(record));
    }

    private static KeyRecord readRecord(ByteBuffer in) {
        return RecordCodec.decode(readBytes(in));
    }

    private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static byte[] readBytes(ByteBuffer in) {
        int length = in.getInt();
        if (length < 0 || length > in.remaining()) {
            throw new IllegalArgumentException("bad length " + length + " (" + in.remaining() + " bytes remain)");
        }
        byte[] bytes = new byte[length];
        in.get(bytes);
        return bytes;
    }

    private static <E extends Enum<E>> E enumOf(E[] values, byte ordinal, String what) {
        if (ordinal < 0 || ordinal >= values.length) {
            throw new IllegalArgumentException("unknown " + what + " " + ordinal);
        }
        return values[ordinal];
    }
}
