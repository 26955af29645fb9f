package io.kvorum.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Base64;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class VersionVectorProperties {

    @Provide
    Arbitrary<VersionVector> vectors() {
        return Generators.versionVectors();
    }

    @Property
    void tokenRoundTrips(@ForAll("vectors") VersionVector vv) {
        String token = vv.toToken();
        assertTrue(token.matches("[A-Za-z0-9_-]+"), token);
        assertEquals(vv, VersionVector.fromToken(token));
    }

    @Property
    void binaryRoundTrips(@ForAll("vectors") VersionVector vv) {
        byte[] encoded = vv.encode();
        assertEquals(VersionVector.FORMAT_VERSION, encoded[0]);
        assertEquals(vv, VersionVector.decode(encoded));
    }

    @Property
    void truncatedEncodingIsRejected(@ForAll("vectors") VersionVector vv) {
        byte[] encoded = vv.encode();
        for (int length = 0; length < encoded.length; length++) {
            byte[] prefix = Arrays.copyOf(encoded, length);
            assertThrows(IllegalArgumentException.class, () -> VersionVector.decode(prefix));
        }
    }

    @Property
    void garbageTokensFailWithIllegalArgumentOnly(@ForAll("garbage") String token) {
        try {
            VersionVector.fromToken(token);
        } catch (IllegalArgumentException expected) {
            assertTrue(expected.getMessage().startsWith("invalid causal context token"), expected.getMessage());
        }
    }

    @Provide
    Arbitrary<String> garbage() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(40),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(40)
                        .map(b -> Base64.getUrlEncoder().withoutPadding().encodeToString(b)));
    }

    @Property
    void mergeIsALeastUpperBound(@ForAll("vectors") VersionVector a, @ForAll("vectors") VersionVector b,
                                 @ForAll("vectors") VersionVector c) {
        VersionVector ab = a.merge(b);
        assertEquals(ab, b.merge(a));
        assertEquals(a, a.merge(a));
        assertEquals(ab.merge(c), a.merge(b.merge(c)));
        assertTrue(ab.descends(a) && ab.descends(b));
        if (c.descends(a) && c.descends(b)) {
            assertTrue(c.descends(ab));
        }
    }

    @Property
    void descendsIsAPartialOrder(@ForAll("vectors") VersionVector a, @ForAll("vectors") VersionVector b) {
        assertTrue(a.descends(a));
        assertTrue(a.descends(VersionVector.empty()));
        if (a.descends(b) && b.descends(a)) {
            assertEquals(a, b);
        }
    }
}
