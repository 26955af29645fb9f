package io.kvorum.node.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.kvorum.node.bucket.BucketProps;
import io.kvorum.node.quorum.ConsistencyLevel;
import io.kvorum.node.bucket.ConflictMode;
import io.kvorum.node.bucket.ReadRepairMode;
import io.kvorum.ring.Node;
import io.kvorum.storage.Durability;
import io.kvorum.storage.MapDbStorageEngine;
import io.kvorum.storage.StoreIo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Builds a {@link NodeConfig} from, in increasing precedence: built-in defaults, a YAML or JSON
 * file, {@code KVORUM_*} environment variables, and explicit settings (command-line flags).
 * Keys are flat names such as {@code port} or {@code defaults.n}; the environment variable of a
 * key is {@code KVORUM_} followed by the key in upper snake case ({@code KVORUM_DATA_DIR},
 * {@code KVORUM_DEFAULTS_N}).
 */
public final class ConfigLoader {
    public static final String DEFAULT_SECRET = "kvorum-dev-secret";

    /** Every key with its default ("" = derived). Documented in docs/operations.md. */
    public static final Map<String, String> DEFAULTS = defaults();

    private ConfigLoader() {
    }

    private static Map<String, String> defaults() {
        NodeConfig.Limits l = NodeConfig.Limits.defaults();
        BucketProps b = BucketProps.defaults();
        Map<String, String> d = new LinkedHashMap<>();
        d.put("nodeId", "n1");
        d.put("host", "127.0.0.1");
        d.put("port", "8081");
        d.put("dataDir", "");
        d.put("members", "");
        d.put("secret", DEFAULT_SECRET);
        d.put("partitions", "256");
        d.put("durability", "sync");
        d.put("periodicSyncMillis", "10");
        d.put("storageCheckpointBytes", Long.toString(8L << 20));
        d.put("storageIo", "mmap");
        NodeConfig.Reads reads = NodeConfig.Reads.defaults();
        d.put("readFanout", reads.fanout().name().toLowerCase(Locale.ROOT));
        d.put("readSpeculativeMillis", Long.toString(reads.speculativeMillis()));
        d.put("eventLoops", "0");
        d.put("storageKeyCacheBytes", Long.toString(MapDbStorageEngine.DEFAULT_KEY_CACHE_BYTES));
        NodeConfig.Gossip g = NodeConfig.Gossip.defaults();
        d.put("gossipIntervalMillis", Long.toString(g.intervalMillis()));
        d.put("gossipTimeoutMillis", Long.toString(g.timeoutMillis()));
        d.put("phiConvictThreshold", Double.toString(g.phiConvictThreshold()));
        d.put("bucketSyncIntervalMillis", "2000");
        NodeConfig.Hints h = NodeConfig.Hints.defaults();
        d.put("hintWindowMillis", Long.toString(h.windowMillis()));
        d.put("maxHints", Long.toString(h.maxHints()));
        d.put("hintDeliveryRatePerSecond", Integer.toString(h.deliveryRatePerSecond()));
        d.put("hintDeliveryIntervalMillis", Long.toString(h.deliveryIntervalMillis()));
        d.put("hintDeliveryConcurrency", Integer.toString(h.deliveryConcurrency()));
        NodeConfig.Cas c = NodeConfig.Cas.defaults();
        d.put("casContentionBackoffMillis", Long.toString(c.contentionBackoffMillis()));
        d.put("casMaxAttempts", Integer.toString(c.maxAttempts()));
        d.put("lockMinTtlSeconds", Long.toString(c.lockMinTtlSeconds()));
        d.put("lockMaxTtlSeconds", Long.toString(c.lockMaxTtlSeconds()));
        d.put("maxValueBytes", Integer.toString(l.maxValueBytes()));
        d.put("maxKeyBytes", Integer.toString(l.maxKeyBytes()));
        d.put("defaultTimeoutMillis", Long.toString(l.defaultTimeoutMillis()));
        d.put("maxTimeoutMillis", Long.toString(l.maxTimeoutMillis()));
        d.put("maxReplicaConnectionsPerPeer", Integer.toString(l.maxReplicaConnectionsPerPeer()));
        d.put("maxRecordBytes", Long.toString(l.maxRecordBytes()));
        d.put("httpIdleTimeoutMillis", Long.toString(l.httpIdleTimeoutMillis()));
        d.put("httpMaxInitialLineLength", Integer.toString(l.httpMaxInitialLineLength()));
        d.put("httpMaxHeaderSize", Integer.toString(l.httpMaxHeaderSize()));
        d.put("maxInFlightValueBytes", Long.toString(l.maxInFlightValueBytes()));
        NodeConfig.Coalescing k = NodeConfig.Coalescing.defaults();
        d.put("replicaBatchMaxOps", Integer.toString(k.maxOps()));
        d.put("replicaBatchInFlight", Integer.toString(k.maxInFlight()));
        d.put("replicaBatchMaxBytes", Integer.toString(k.maxBytes()));
        d.put("defaults.n", Integer.toString(b.n()));
        d.put("defaults.r", b.r().toString());
        d.put("defaults.w", b.w().toString());
        d.put("defaults.conflict", "siblings");
        d.put("defaults.sloppy", "true");
        d.put("defaults.readRepair", "async");
        d.put("defaults.maxSiblings", Integer.toString(b.maxSiblings()));
        return Map.copyOf(d);
    }

    public static String envName(String key) {
        StringBuilder sb = new StringBuilder("KVORUM_");
        for (char c : key.toCharArray()) {
            if (c == '.') {
                sb.append('_');
            } else if (Character.isUpperCase(c)) {
                sb.append('_').append(c);
            } else {
                sb.append(Character.toUpperCase(c));
            }
        }
        return sb.toString();
    }

    /** Reads a YAML or JSON file into flat keys (nested objects become dotted keys). */
    public static Map<String, String> readFile(Path file) throws IOException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        ObjectMapper mapper = name.endsWith(".json") ? new ObjectMapper() : new ObjectMapper(new YAMLFactory());
        JsonNode root = mapper.readTree(Files.readAllBytes(file));
        Map<String, String> out = new LinkedHashMap<>();
        if (root == null || root.isNull() || root.isMissingNode()) {
            return out;
        }
        if (!root.isObject()) {
            throw new IllegalArgumentException("configuration file " + file + " must hold an object");
        }
        flatten("", root, out);
        return out;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = prefix + e.getKey();
            JsonNode v = e.getValue();
            if (v.isNull()) {
                continue; // "key:" with no value: the default applies
            }
            if (v.isObject()) {
                flatten(key + ".", v, out);
            } else if (v.isArray()) {
                List<String> items = new ArrayList<>();
                v.forEach(i -> {
                    if (!i.isNull()) {
                        items.add(i.asText());
                    }
                });
                out.put(key, String.join(",", items));
            } else {
                out.put(key, v.asText());
            }
        }
    }

    /** Picks the KVORUM_* variables that name a known key. */
    public static Map<String, String> fromEnvironment(Map<String, String> env) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String key : DEFAULTS.keySet()) {
            String v = env.get(envName(key));
            if (v != null) {
                out.put(key, v);
            }
        }
        return out;
    }

    /** Merges the layers (later wins) and builds the validated configuration. */
    @SafeVarargs
    public static NodeConfig build(Map<String, String>... layers) {
        Map<String, String> s = new LinkedHashMap<>(DEFAULTS);
        for (Map<String, String> layer : layers) {
            for (Map.Entry<String, String> e : layer.entrySet()) {
                if (!DEFAULTS.containsKey(e.getKey())) {
                    throw new IllegalArgumentException("unknown configuration key '" + e.getKey()
                            + "'; known keys: " + new TreeSet<>(DEFAULTS.keySet()));
                }
                s.put(e.getKey(), e.getValue());
            }
        }
        String nodeId = s.get("nodeId");
        String host = s.get("host");
        int port = integer(s, "port");
        Path dataDir = Path.of(s.get("dataDir").isEmpty() ? "data/" + nodeId : s.get("dataDir"));
        List<Node> members = new ArrayList<>();
        String memberSpec = s.get("members").isBlank() ? nodeId + "@" + host + ":" + port : s.get("members");
        for (String m : memberSpec.split(",")) {
            if (!m.isBlank()) {
                members.add(Node.parse(m.trim()));
            }
        }
        Set<String> durabilities = Set.of("sync", "periodic");
        String durability = s.get("durability").trim().toLowerCase(Locale.ROOT);
        if (!durabilities.contains(durability)) {
            throw new IllegalArgumentException("durability must be sync or periodic, got '" + s.get("durability") + "'");
        }
        boolean nGiven = java.util.Arrays.stream(layers).anyMatch(l -> l.containsKey("defaults.n"));
        int n = nGiven ? integer(s, "defaults.n") : Math.min(integer(s, "defaults.n"), members.size());
        BucketProps defaults = new BucketProps(
                n,
                ConsistencyLevel.parse(s.get("defaults.r")),
                ConsistencyLevel.parse(s.get("defaults.w")),
                enumOf(ConflictMode.class, s, "defaults.conflict"),
                bool(s, "defaults.sloppy"),
                enumOf(ReadRepairMode.class, s, "defaults.readRepair"),
                integer(s, "defaults.maxSiblings"));
        NodeConfig.Limits limits = new NodeConfig.Limits(
                integer(s, "maxValueBytes"), integer(s, "maxKeyBytes"),
                longValue(s, "defaultTimeoutMillis"), longValue(s, "maxTimeoutMillis"),
                integer(s, "maxReplicaConnectionsPerPeer"), longValue(s, "maxRecordBytes"),
                longValue(s, "httpIdleTimeoutMillis"), integer(s, "httpMaxInitialLineLength"),
                integer(s, "httpMaxHeaderSize"), longValue(s, "maxInFlightValueBytes"));
        return new NodeConfig(nodeId, host, port, dataDir, members, s.get("secret"), integer(s, "partitions"),
                defaults, limits, Durability.valueOf(durability.toUpperCase(Locale.ROOT)),
                longValue(s, "periodicSyncMillis"), longValue(s, "storageCheckpointBytes"),
                new NodeConfig.Gossip(longValue(s, "gossipIntervalMillis"), longValue(s, "gossipTimeoutMillis"),
                        doubleValue(s, "phiConvictThreshold")),
                longValue(s, "bucketSyncIntervalMillis"),
                new NodeConfig.Hints(longValue(s, "hintWindowMillis"), longValue(s, "maxHints"),
                        integer(s, "hintDeliveryRatePerSecond"), longValue(s, "hintDeliveryIntervalMillis"),
                        integer(s, "hintDeliveryConcurrency")),
                new NodeConfig.Cas(longValue(s, "casContentionBackoffMillis"), integer(s, "casMaxAttempts"),
                        longValue(s, "lockMinTtlSeconds"), longValue(s, "lockMaxTtlSeconds")),
                new NodeConfig.Coalescing(integer(s, "replicaBatchMaxOps"), integer(s, "replicaBatchInFlight"),
                        integer(s, "replicaBatchMaxBytes")),
                enumOf(StoreIo.class, s, "storageIo"),
                new NodeConfig.Reads(enumOf(NodeConfig.ReadFanout.class, s, "readFanout"),
                        longValue(s, "readSpeculativeMillis")),
                integer(s, "eventLoops"), longValue(s, "storageKeyCacheBytes"));
    }

    private static int integer(Map<String, String> s, String key) {
        try {
            return Integer.parseInt(s.get(key).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be an integer, got '" + s.get(key) + "'");
        }
    }

    private static long longValue(Map<String, String> s, String key) {
        try {
            return Long.parseLong(s.get(key).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be an integer, got '" + s.get(key) + "'");
        }
    }

    private static double doubleValue(Map<String, String> s, String key) {
        try {
            return Double.parseDouble(s.get(key).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a number, got '" + s.get(key) + "'");
        }
    }

    private static boolean bool(Map<String, String> s, String key) {
        String v = s.get(key).trim().toLowerCase(Locale.ROOT);
        if (!v.equals("true") && !v.equals("false")) {
            throw new IllegalArgumentException(key + " must be true or false, got '" + s.get(key) + "'");
        }
        return Boolean.parseBoolean(v);
    }

    private static <E extends Enum<E>> E enumOf(Class<E> type, Map<String, String> s, String key) {
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(s.get(key).trim())) {
                return e;
            }
        }
        throw new IllegalArgumentException(key + " must be one of " + Arrays.toString(type.getEnumConstants())
                + ", got '" + s.get(key) + "'");
    }
}
