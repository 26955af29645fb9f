package io.kvorum.ring;

/**
 * Splits the 64-bit token space, read as unsigned, into {@code partitions} equal ranges
 * (Dynamo strategy 3): partition {@code i} holds tokens {@code [i * 2^64/Q, (i+1) * 2^64/Q)},
 * i.e. the partition is the top {@code log2(Q)} bits of the token.
 *
 * @param partitions Q, a power of two in 1..65536
 */
public record Partitioner(int partitions) {
    public static final int DEFAULT_PARTITIONS = 256;
    public static final int MAX_PARTITIONS = 65536;

    public Partitioner {
        if (partitions < 1 || partitions > MAX_PARTITIONS || Integer.bitCount(partitions) != 1) {
            throw new IllegalArgumentException(
                    "partitions must be a power of two in 1.." + MAX_PARTITIONS + ": " + partitions);
        }
    }

    /** A partitioner with {@link #DEFAULT_PARTITIONS}. */
    public static Partitioner defaults() {
        return new Partitioner(DEFAULT_PARTITIONS);
    }

    /** log2(Q): how many top bits of the token select the partition. */
    public int bits() {
        return Integer.numberOfTrailingZeros(partitions);
    }

    /** The partition of a token, treating the token as an unsigned 64-bit number. */
    public int partitionOf(long token) {
        int bits = bits();
        return bits == 0 ? 0 : (int) (token >>> (64 - bits));
    }

    /** The partition of {@code key} in {@code bucket}, via {@link KeyHasher#token}. */
    public int partitionOf(String bucket, byte[] key) {
        return partitionOf(KeyHasher.token(bucket, key));
    }
}
