package io.kvorum.ring.gossip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvorum.ring.Node;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GossipCodecTest {

    private static final Node A = Node.parse("a@127.0.0.1:8081");
    private static final Node B = Node.parse("b@[::1]:65535");

    private static final GossipState STATE = GossipState.empty()
            .withMember(new MemberState(A, 1_700_000_000L, 42, 1_700_000_123_456L))
            .withMember(new MemberState(B, 0, Long.MAX_VALUE, -5));

    @Test
    void roundTripsEveryField() {
        assertEquals(STATE, GossipCodec.decode(GossipCodec.encode(STATE)));
    }

    @Test
    void seedsAreNotEncoded() {
        GossipState withSeeds = GossipState.start(A, 3, List.of(B), 10);
        GossipState decoded = GossipCodec.decode(GossipCodec.encode(withSeeds));
        assertEquals(withSeeds.withoutSeeds(), decoded);
        assertEquals(Map.of(), decoded.seeds());
    }

    @Test
    void theFormatIsPinned() {
        GossipState s = GossipState.empty().withMember(new MemberState(new Node("n", "h", 300), 2, 129, 0));
        // version 1, 1 member, "n", "h", port 300 = ac 02, gen 2, hb 129 = 81 01, at 0
        assertEquals("010101" + "6e" + "0168" + "ac02" + "02" + "8101" + "00", HexFormat.of().formatHex(GossipCodec.encode(s)));
        assertArrayEquals(new byte[] {1, 0}, GossipCodec.encode(GossipState.empty()));
        assertEquals(GossipState.empty(), GossipCodec.decode(new byte[] {1, 0}));
    }

    @Test
    void isCompact() {
        assertTrue(GossipCodec.encode(GossipState.start(A, 1_700_000_000L, List.of(), 1_700_000_000_000L)).length < 40);
    }

    @Test
    void everyTruncationIsRejected() {
        byte[] bytes = GossipCodec.encode(STATE);
        for (int n = 0; n < bytes.length; n++) {
            byte[] prefix = Arrays.copyOf(bytes, n);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GossipCodec.decode(prefix),
                    "prefix of " + n + " bytes");
            assertTrue(e.getMessage().startsWith("gossip state: "), "the codec's own diagnosis: " + e.getMessage());
        }
    }

    @Test
    void trailingBytesAreRejected() {
        byte[] bytes = GossipCodec.encode(STATE);
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GossipCodec.decode(longer));
        assertTrue(e.getMessage().contains("trailing"), e.getMessage());
    }

    @Test
    void nullAndEmptyAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> GossipCodec.decode(null));
        assertThrows(IllegalArgumentException.class, () -> GossipCodec.decode(new byte[0]));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "0000",                                     // version 0
            "0200",                                     // a future version
            "7b",                                       // '{': someone sent JSON
            "01ffffffffffffffffff7f",                   // count overflows 64 bits
            "01ffffffffffffffffff02",                   // 10th varint byte too large
            "018000",                                   // count not in shortest form
            "0181808004",                               // count over the member limit
            "01010161",                                 // truncated after the id
            "010105616161",                             // id claims 5 bytes, 3 follow
            "010101c3",                                 // id is not valid UTF-8
            "01010120016850000000",                     // id ' ' is not a valid node id
            "010101610168" + "00" + "000000",           // port 0
            "010101610168" + "808004" + "000000",       // port 65536
            "010101610168" + "d080808010" + "000000",   // port 2^32 + 80, which an int cast would read as 80
            "010101610168" + "01" + "ffffffffffffffffff01" + "0000", // generation above Long.MAX_VALUE
            "020101",                                   // wrong version even if the rest looks fine
            "0102" + "0162016801" + "000000" + "0161016801" + "000000", // ids out of order
            "0102" + "0161016801" + "000000" + "0161016801" + "000000", // duplicate id
            "010181800801",                             // id length over the limit
    })
    void garbageIsRejected(String hex) {
        byte[] bytes = HexFormat.of().parseHex(hex);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GossipCodec.decode(bytes), hex);
        assertTrue(e.getMessage().startsWith("gossip state: "), "the codec's own diagnosis: " + e.getMessage());
    }

    @Test
    void aHugeMemberCountIsRejectedBeforeReadingMembers() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GossipCodec.decode(HexFormat.of().parseHex("0181808004")));
        assertTrue(e.getMessage().contains("exceeds " + GossipCodec.MAX_MEMBERS), e.getMessage());
    }

    @Test
    void aValidRecordDecodes() {
        // the same shape as the garbage cases above, corrected, to show that they fail for their stated reason
        GossipState s = GossipCodec.decode(HexFormat.of().parseHex("0102" + "0161016801" + "000000" + "0162016801" + "000000"));
        assertEquals(List.of("a", "b"), List.copyOf(s.members().keySet()));
        assertEquals(new Node("a", "h", 1), s.members().get("a").node());
    }
}
