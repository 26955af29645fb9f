package io.kvorum.ring;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PartitionerTest {

    @ParameterizedTest(name = "Q={0}, token={1} -> {2}")
    @CsvSource({
            "256,   0,                    0",
            "256,   -1,                   255",
            "256,   -9223372036854775808, 128",
            "256,   9223372036854775807,  127",
            "256,   72057594037927935,    0",   // 2^56 - 1: last token of partition 0
            "256,   72057594037927936,    1",   // 2^56: first token of partition 1
            "2,     9223372036854775807,  0",
            "2,     -9223372036854775808, 1",
            "1,     -1,                   0",
            "1,     -9223372036854775808, 0",
            "65536, -1,                   65535",
            "65536, -9223372036854775808, 32768",
            "65536, 9223372036854775807,  32767",
    })
    void boundTokensLandInTheRightPartition(int q, long token, int expected) {
        assertEquals(expected, new Partitioner(q).partitionOf(token));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 3, 100, 255, 131072, Integer.MIN_VALUE})
    void rejectsPartitionCountsThatAreNotPowersOfTwoInRange(int q) {
        assertThrows(IllegalArgumentException.class, () -> new Partitioner(q));
    }

    @Test
    void defaultIs256() {
        assertEquals(256, Partitioner.defaults().partitions());
        assertEquals(8, Partitioner.defaults().bits());
    }

    @Test
    void partitionOfKeyUsesTheKeyToken() {
        Partitioner p = new Partitioner(1024);
        byte[] key = "alice".getBytes(UTF_8);
        assertEquals(p.partitionOf(KeyHasher.token("users", key)), p.partitionOf("users", key));
    }

    /** Reference: partition = floor(unsigned(token) * Q / 2^64). */
    @Property
    void partitionIsTheUnsignedRangeIndex(@ForAll long token, @ForAll @IntRange(min = 0, max = 16) int log2q) {
        int q = 1 << log2q;
        BigInteger unsigned = new BigInteger(Long.toUnsignedString(token));
        int expected = unsigned.multiply(BigInteger.valueOf(q)).shiftRight(64).intValueExact();
        assertEquals(expected, new Partitioner(q).partitionOf(token));
    }
}
