package io.kvorum.ring.gossip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kvorum.ring.Node;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class GossipCodecProperties {

    @Provide
    Arbitrary<GossipState> states() {
        Arbitrary<Node> node = Combinators.combine(
                Arbitraries.strings().withChars("abcXYZ019._-").ofMinLength(1).ofMaxLength(64),
                Arbitraries.oneOf(Arbitraries.strings().withChars("abcdefghijklmnop.-0123456789").ofMinLength(1).ofMaxLength(40),
                        Arbitraries.strings().withChars("0123456789abcdef:").ofMinLength(1).ofMaxLength(39).map(h -> "[" + h + "]"),
                        Arbitraries.strings().withChars("äöü日本é").ofMinLength(1).ofMaxLength(10)),
                Arbitraries.integers().between(1, 65535))
                .as(Node::new);
        Arbitrary<MemberState> member = Combinators.combine(node,
                        Arbitraries.longs().greaterOrEqual(0),
                        Arbitraries.longs().greaterOrEqual(0),
                        Arbitraries.longs())
                .as(MemberState::new);
        return member.list().ofMaxSize(20).map(list -> {
            Map<String, MemberState> map = new TreeMap<>();
            list.forEach(m -> map.put(m.id(), m));
            return new GossipState(map, Map.of());
        });
    }

    @Property
    void decodeInvertsEncode(@ForAll("states") GossipState state) {
        byte[] bytes = GossipCodec.encode(state);
        GossipState decoded = GossipCodec.decode(bytes);
        assertEquals(state, decoded);
        assertArrayEquals(bytes, GossipCodec.encode(decoded), "one state, one encoding");
    }

    /** Arbitrary bytes either decode to a state that re-encodes to exactly those bytes, or are rejected cleanly. */
    @Property(tries = 2000)
    void randomBytesAreRejectedWithIllegalArgumentOrDecodeCanonically(@ForAll byte[] bytes) {
        GossipState decoded;
        try {
            decoded = GossipCodec.decode(bytes);
        } catch (IllegalArgumentException expected) {
            return;
        }
        assertArrayEquals(bytes, GossipCodec.encode(decoded));
    }

    /** Flipping bytes of a valid encoding never produces anything but a clean rejection or a canonical state. */
    @Property(tries = 2000)
    void corruptedEncodingsAreRejectedWithIllegalArgumentOrDecodeCanonically(
            @ForAll("states") GossipState state, @ForAll int position, @ForAll byte value) {
        byte[] bytes = GossipCodec.encode(state);
        bytes[Math.floorMod(position, bytes.length)] = value;
        GossipState decoded;
        try {
            decoded = GossipCodec.decode(bytes);
        } catch (IllegalArgumentException expected) {
            return;
        }
        assertArrayEquals(bytes, GossipCodec.encode(decoded));
    }
}
