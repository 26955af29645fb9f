package io.kvorum.node.config;

import io.kvorum.node.bucket.BucketProps;
import io.kvorum.ring.Node;
import io.kvorum.storage.Durability;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NodeConfigTest {
    private static final Node N1 = new Node("n1", "127.0.0.1", 8081);
    private static final Node N2 = new Node("n2", "127.0.0.1", 8082);

    /** A valid configuration with one field replaced. */
    private static NodeConfig config(String nodeId, int port, List<Node> members, String secret, int partitions,
                                     long periodicSync, long ping, long bucketSync) {
        return new NodeConfig(nodeId, "127.0.0.1", port, Path.of("data"), members, secret, partitions,
                BucketProps.defaults(), NodeConfig.Limits.defaults(), Durability.SYNC, periodicSync, 8L << 20,
                new NodeConfig.Gossip(ping, 1000, 8.0), bucketSync,
                NodeConfig.Hints.defaults());
    }

    private static NodeConfig valid() {
        return config("n1", 8081, List.of(N1, N2), "s", 256, 10, 1000, 2000);
    }

    @Test
    void aValidConfigurationFindsItsOwnNode() {
        assertEquals(N1, valid().self());
        assertEquals(N2, config("n2", 8082, List.of(N1, N2), "s", 256, 10, 1000, 2000).self());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 8081, 65535})
    void acceptsPortsFrom1To65535(int port) {
        assertDoesNotThrow(() -> config("n1", port, List.of(N1), "s", 256, 10, 1000, 2000));
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 0, 65536, Integer.MIN_VALUE, Integer.MAX_VALUE})
    void rejectsPortsOutOfRange(int port) {
        assertThrows(IllegalArgumentException.class, () -> config("n1", port, List.of(N1), "s", 256, 10, 1000, 2000));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 64, 256, 1 << 20, 1 << 30})
    void acceptsPartitionCountsThatArePowersOfTwo(int partitions) {
        assertDoesNotThrow(() -> config("n1", 1, List.of(N1), "s", partitions, 10, 1000, 2000));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, -256, 3, 100, 255, 257, Integer.MIN_VALUE, Integer.MAX_VALUE})
    void rejectsPartitionCountsThatAreNotPowersOfTwo(int partitions) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> config("n1", 1, List.of(N1), "s", partitions, 10, 1000, 2000));
        assertTrue(e.getMessage().contains("power of two"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\t\n"})
    void rejectsABlankSecret(String secret) {
        assertThrows(IllegalArgumentException.class, () -> config("n1", 1, List.of(N1), secret, 256, 10, 1000, 2000));
    }

    @Test
    void rejectsAMemberListWithoutThisNode() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> config("n3", 1, List.of(N1, N2), "s", 256, 10, 1000, 2000));
        assertTrue(e.getMessage().contains("n3"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> config("n1", 1, List.of(), "s", 256, 10, 1000, 2000));
    }

    @Test
    void rejectsDuplicateMemberIds() {
        Node otherN1 = new Node("n1", "127.0.0.9", 9999);
        assertThrows(IllegalArgumentException.class,
                () -> config("n1", 1, List.of(N1, N2, otherN1), "s", 256, 10, 1000, 2000));
    }

    @ParameterizedTest(name = "periodicSync={0} ping={1} bucketSync={2}")
    @CsvSource({"0, 1000, 2000", "10, 0, 2000", "10, 1000, 0", "-1, 1000, 2000", "10, -1000, 2000",
            "10, 1000, -1"})
    void rejectsIntervalsThatAreNotPositive(long periodicSync, long ping, long bucketSync) {
        assertThrows(IllegalArgumentException.class,
                () -> config("n1", 1, List.of(N1), "s", 256, periodicSync, ping, bucketSync));
    }

    @Test
    void rejectsMissingParts() {
        BucketProps b = BucketProps.defaults();
        NodeConfig.Limits l = NodeConfig.Limits.defaults();
        List<Node> m = List.of(N1);
        Path d = Path.of("d");
        assertThrows(NullPointerException.class, () -> new NodeConfig(null, "h", 1, d, m, "s", 1, b, l, Durability.SYNC, 1, 0, NodeConfig.Gossip.defaults(), 1, NodeConfig.Hints.defaults()));
        assertThrows(NullPointerException.class, () -> new NodeConfig("n1", null, 1, d, m, "s", 1, b, l, Durability.SYNC, 1, 0, NodeConfig.Gossip.defaults(), 1, NodeConfig.Hints.defaults()));
        assertThrows(NullPointerException.class, () -> new NodeConfig("n1", "h", 1, null, m, "s", 1, b, l, Durability.SYNC, 1, 0, NodeConfig.Gossip.defaults(), 1, NodeConfig.Hints.defaults()));
        assertThrows(NullPointerException.class, () -> new NodeConfig("n1", "h", 1, d, m, null, 1, b, l, Durability.SYNC, 1, 0, NodeConfig.Gossip.defaults(), 1, NodeConfig.Hints.defaults()));
        assertThrows(NullPointerException.class, () -> new NodeConfig("n1", "h", 1, d, m, "s", 1, null, l, Durability.SYNC, 1, 0, NodeConfig.Gossip.defaults(), 1, NodeConfig.Hints.defaults()));
        assertThrows(NullPointerException.class, () -> new NodeConfig("n1", "h", 1, d, m, "s", 1, b, null, Durability.SYNC, 1, 0, NodeConfig.Gossip.defaults(), 1, NodeConfig.Hints.defaults()));
        assertThrows(NullPointerException.class, () -> new NodeConfig("n1", "h", 1, d, m, "s", 1, b, l, null, 1, 0, NodeConfig.Gossip.defaults(), 1, NodeConfig.Hints.defaults()));
        assertThrows(NullPointerException.class, () -> new NodeConfig("n1", "h", 1, d, null, "s", 1, b, l, Durability.SYNC, 1, 0, NodeConfig.Gossip.defaults(), 1, NodeConfig.Hints.defaults()));
    }

    @Test
    void theMemberListIsACopy() {
        List<Node> members = new ArrayList<>(List.of(N1));
        NodeConfig c = config("n1", 1, members, "s", 256, 10, 1000, 2000);
        members.add(N2);
        assertEquals(List.of(N1), c.members());
        assertThrows(UnsupportedOperationException.class, () -> c.members().add(N2));
    }

    @Test
    void withMembersReplacesOnlyTheMembersAndRevalidates() {
        NodeConfig c = valid();
        Node n3 = new Node("n3", "127.0.0.1", 8083);
        NodeConfig grown = c.withMembers(List.of(N1, N2, n3));
        assertEquals(List.of(N1, N2, n3), grown.members());
        assertEquals(new NodeConfig(c.nodeId(), c.host(), c.port(), c.dataDir(), List.of(N1, N2, n3), c.secret(),
                c.partitions(), c.bucketDefaults(), c.limits(), c.durability(), c.periodicSyncMillis(), c.storageCheckpointBytes(),
                c.gossip(), c.bucketSyncIntervalMillis(), c.hints()), grown);
        assertThrows(IllegalArgumentException.class, () -> c.withMembers(List.of(N2, n3)));
    }

    @Test
    void limitDefaultsAreTheDocumentedOnes() {
        assertEquals(new NodeConfig.Limits(1024 * 1024, 1024, 5_000, 60_000, 64, 4L * 1024 * 1024, 120_000, 4096, 8192), NodeConfig.Limits.defaults());
    }

    @ParameterizedTest(name = "Limits({0}, {1}, {2}, {3}, {4}, {5}, {6})")
    @CsvSource({
            "0, 1024, 5000, 60000, 64, 1, 0, 8192, 8192",
            "1, 0,    5000, 60000, 64, 1, 0, 8192, 8192",
            "1, 1,    0,    60000, 64, 1, 0, 8192, 8192",
            "1, 1,    1,    0,     64, 1, 0, 8192, 8192",
            "1, 1,    1,    1,     0,  1, 0, 8192, 8192",
            "-1, 1,   1,    1,     1,  1, 0, 8192, 8192",
            "1, 1,    2,    1,     1,  1, 0, 8192, 8192",      // the default timeout exceeds the maximum
            "10, 1,   1,    1,     1,  9, 0, 8192, 8192",      // one value would not fit on a key
            "1, 1,    1,    100,   1,  1, 100, 8192, 8192",    // an idle connection would be cut while its request waits
            "1, 1,    1,    100,   1,  1, -1, 8192, 8192",
            "1, 2000, 1,    1,     1,  1, 0, 4096, 8192",      // a long key would not fit in the request line
            "1, 1,    1,    1,     1,  1, 0, 4096, 1023",
    })
    void rejectsLimitsThatCannotWork(int maxValue, int maxKey, long defaultTimeout, long maxTimeout, int conns,
                                     long maxRecord, long idleTimeout, int maxLine, int maxHeaders) {
        assertThrows(IllegalArgumentException.class, () -> new NodeConfig.Limits(maxValue, maxKey, defaultTimeout,
                maxTimeout, conns, maxRecord, idleTimeout, maxLine, maxHeaders));
    }

    @Test
    void theDefaultTimeoutMayEqualTheMaximum() {
        assertEquals(7, new NodeConfig.Limits(1, 1, 7, 7, 1, 1, 0, 515, 1024).maxTimeoutMillis());
    }
}
