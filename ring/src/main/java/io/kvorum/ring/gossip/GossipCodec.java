package io.kvorum.ring.gossip;

import io.kvorum.ring.Node;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * The compact binary form of a {@link GossipState}'s members, for the gossip message body.
 * Seeds are local configuration and are not encoded: {@code decode(encode(s))} equals
 * {@code s.withoutSeeds()}.
 *
 * <pre>
 * byte    format version (1)
 * varint  member count
 * per member, in ascending id order (each id strictly greater than the previous):
 *   string  id
 *   string  host
 *   varint  port
 *   varint  generation
 *   varint  heartbeat
 *   varint  updatedAtMillis (64-bit two's complement, read as unsigned)
 * string = varint byte length, then that many bytes of UTF-8
 * varint = unsigned LEB128, at most 10 bytes, shortest form only
 * </pre>
 *
 * Decoding is strict: any deviation (unknown version, truncation, trailing bytes, overlong or
 * overflowing varints, malformed UTF-8, unsorted or duplicate ids, invalid node or version)
 * throws {@link IllegalArgumentException}, so one encoding has exactly one meaning.
 */
public final class GossipCodec {

    public static final byte FORMAT_VERSION = 1;
    /** Most members a message may carry. */
    public static final int MAX_MEMBERS = 65_536;
    /** Longest id or host, in UTF-8 bytes. */
    public static final int MAX_STRING_BYTES = 1024;

    private GossipCodec() {
    }

    /** The bytes of {@code state}'s members. */
    public static byte[] encode(GossipState state) {
        if (state.members().size() > MAX_MEMBERS) {
            throw new IllegalArgumentException("too many members to encode: " + state.members().size() + " > " + MAX_MEMBERS);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 + 48 * state.members().size());
        out.write(FORMAT_VERSION);
        writeVarint(out, state.members().size());
        for (MemberState m : state.members().values()) { // TreeMap: ascending ids
            writeString(out, m.node().id());
            writeString(out, m.node().host());
            writeVarint(out, m.node().port());
            writeVarint(out, m.generation());
            writeVarint(out, m.heartbeat());
            writeVarint(out, m.updatedAtMillis());
        }
        return out.toByteArray();
    }

    /**
     * The state (members only, no seeds) encoded in {@code bytes}.
     *
     * @throws IllegalArgumentException if {@code bytes} is not exactly one valid encoding
     */
    public static GossipState decode(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw new IllegalArgumentException("gossip state: empty input");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        byte version = in.get();
        if (version != FORMAT_VERSION) {
            throw new IllegalArgumentException("gossip state: unsupported format version " + version
                    + " (this node reads version " + FORMAT_VERSION + ")");
        }
        long count = readVarint(in, "member count");
        if (count > MAX_MEMBERS) {
            throw new IllegalArgumentException("gossip state: member count " + count + " exceeds " + MAX_MEMBERS);
        }
        Map<String, MemberState> members = new TreeMap<>();
        String previousId = null;
        for (int i = 0; i < count; i++) {
            String id = readString(in, "id of member " + i);
            if (previousId != null && id.compareTo(previousId) <= 0) {
                throw new IllegalArgumentException("gossip state: member ids out of order or repeated: '"
                        + previousId + "' then '" + id + "'");
            }
            String host = readString(in, "host of member " + id);
            long port = readVarint(in, "port of member " + id);
            long generation = readVarint(in, "generation of member " + id);
            long heartbeat = readVarint(in, "heartbeat of member " + id);
            long updatedAt = readVarint(in, "updatedAtMillis of member " + id);
            if (port > 65535) {
                throw new IllegalArgumentException("gossip state: port of member " + id + " out of range: " + port);
            }
            try {
                members.put(id, new MemberState(new Node(id, host, (int) port), generation, heartbeat, updatedAt));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("gossip state: invalid member " + i + ": " + e.getMessage(), e);
            }
            previousId = id;
        }
        if (in.hasRemaining()) {
            throw new IllegalArgumentException("gossip state: " + in.remaining() + " trailing bytes after " + count + " members");
        }
        return new GossipState(members, Map.of());
    }

    private static void writeString(ByteArrayOutputStream out, String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        if (utf8.length > MAX_STRING_BYTES) {
            throw new IllegalArgumentException("string too long to encode (" + utf8.length + " bytes): " + s);
        }
        writeVarint(out, utf8.length);
        out.write(utf8, 0, utf8.length);
    }

    private static void writeVarint(ByteArrayOutputStream out, long value) {
        long v = value;
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    private static String readString(ByteBuffer in, String what) {
        long length = readVarint(in, "length of " + what);
        if (length > MAX_STRING_BYTES) {
            throw new IllegalArgumentException("gossip state: " + what + " is " + length + " bytes, over " + MAX_STRING_BYTES);
        }
        if (length > in.remaining()) {
            throw new IllegalArgumentException("gossip state: truncated in " + what);
        }
        ByteBuffer slice = in.slice();
        slice.limit((int) length);
        in.position(in.position() + (int) length);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(slice)
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("gossip state: " + what + " is not valid UTF-8", e);
        }
    }

    private static long readVarint(ByteBuffer in, String what) {
        long value = 0;
        for (int i = 0; i < 10; i++) {
            if (!in.hasRemaining()) {
                throw new IllegalArgumentException("gossip state: truncated in " + what);
            }
            int b = in.get() & 0xFF;
            if (i == 9 && b > 1) {
                throw new IllegalArgumentException("gossip state: " + what + " overflows 64 bits");
            }
            value |= (long) (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) {
                if (b == 0 && i > 0) {
                    throw new IllegalArgumentException("gossip state: " + what + " is not in shortest form");
                }
                return value;
            }
        }
        throw new IllegalArgumentException("gossip state: " + what + " overflows 64 bits");
    }
}
