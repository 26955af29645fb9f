package io.kvorum.node.bucket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kvorum.node.quorum.ConsistencyLevel;

import java.util.Iterator;
import java.util.Locale;
import java.util.Set;

/**
 * The properties of a bucket. Validated on construction; {@link #withJson} applies a partial
 * update as a client sends it to {@code PUT /buckets/{bucket}}.
 */
public record BucketProps(int n, ConsistencyLevel r, ConsistencyLevel w, ConflictMode conflict,
                          boolean sloppy, ReadRepairMode readRepair, int maxSiblings) {

    public static final int MAX_N = 16;
    public static final int MAX_SIBLINGS_LIMIT = 4096;
    private static final Set<String> FIELDS = Set.of("n", "r", "w", "conflict", "sloppy", "readRepair", "maxSiblings");

    public BucketProps {
        if (n < 1 || n > MAX_N) {
            throw new IllegalArgumentException("n must be between 1 and " + MAX_N + ", got " + n);
        }
        perRequestOnly("r", r);
        perRequestOnly("w", w);
        r.required(n);
        w.required(n);
        if (maxSiblings < 1 || maxSiblings > MAX_SIBLINGS_LIMIT) {
            throw new IllegalArgumentException("maxSiblings must be between 1 and " + MAX_SIBLINGS_LIMIT
                    + ", got " + maxSiblings);
        }
    }

    public static BucketProps defaults() {
        return new BucketProps(3, ConsistencyLevel.QUORUM, ConsistencyLevel.QUORUM, ConflictMode.SIBLINGS,
                true, ReadRepairMode.ASYNC, 64);
    }

    public BucketProps withN(int value) {
        return new BucketProps(value, r, w, conflict, sloppy, readRepair, maxSiblings);
    }

    public ObjectNode toJson(ObjectMapper mapper) {
        ObjectNode o = mapper.createObjectNode();
        o.put("n", n);
        o.put("r", r.toString());
        o.put("w", w.toString());
        o.put("conflict", conflict.name().toLowerCase(Locale.ROOT));
        o.put("sloppy", sloppy);
        o.put("readRepair", readRepair.name().toLowerCase(Locale.ROOT));
        o.put("maxSiblings", maxSiblings);
        return o;
    }

    /**
     * Applies the fields present in {@code json} to these properties. Throws
     * IllegalArgumentException with a client-facing message on an unknown field or a bad value.
     */
    public BucketProps withJson(JsonNode json) {
        if (json == null || !json.isObject()) {
            throw new IllegalArgumentException("bucket properties must be a JSON object");
        }
        for (Iterator<String> it = json.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                throw new IllegalArgumentException("unknown bucket property '" + f + "'; known: " + FIELDS);
            }
        }
        int nn = json.has("n") ? intField(json, "n") : n;
        ConsistencyLevel rr = json.has("r") ? levelField(json, "r") : r;
        ConsistencyLevel ww = json.has("w") ? levelField(json, "w") : w;
        ConflictMode cm = json.has("conflict") ? enumField(ConflictMode.class, json, "conflict") : conflict;
        boolean sl = json.has("sloppy") ? boolField(json, "sloppy") : sloppy;
        ReadRepairMode rm = json.has("readRepair") ? enumField(ReadRepairMode.class, json, "readRepair") : readRepair;
        int ms = json.has("maxSiblings") ? intField(json, "maxSiblings") : maxSiblings;
        return new BucketProps(nn, rr, ww, cm, sl, rm, ms);
    }

    public static BucketProps fromJson(JsonNode json) {
        return defaults().withJson(json);
    }

    /** ANY (a hint acknowledges a write) and SERIAL (a Paxos read) are asked for per request, not as defaults. */
    private static void perRequestOnly(String f, ConsistencyLevel level) {
        if (level.kind() == ConsistencyLevel.Kind.ANY || level.kind() == ConsistencyLevel.Kind.SERIAL) {
            throw new IllegalArgumentException("bucket property '" + f + "' cannot be " + level.kind() + ": it is "
                    + "chosen per request (consistency=ANY on a write, consistency=SERIAL on a read); use ONE, TWO, "
                    + "THREE, QUORUM, ALL or an integer");
        }
    }

    private static ConsistencyLevel levelField(JsonNode json, String f) {
        JsonNode v = json.get(f);
        if (!v.isTextual() && !v.isIntegralNumber()) {
            throw new IllegalArgumentException("bucket property '" + f + "' must be a consistency level (ONE, TWO, "
                    + "THREE, QUORUM, ALL or an integer), got " + v);
        }
        return ConsistencyLevel.parse(v.asText());
    }

    private static int intField(JsonNode json, String f) {
        JsonNode v = json.get(f);
        if (!v.canConvertToInt() || !v.isIntegralNumber()) {
            throw new IllegalArgumentException("bucket property '" + f + "' must be an integer, got " + v);
        }
        return v.intValue();
    }

    private static boolean boolField(JsonNode json, String f) {
        JsonNode v = json.get(f);
        if (!v.isBoolean()) {
            throw new IllegalArgumentException("bucket property '" + f + "' must be true or false, got " + v);
        }
        return v.booleanValue();
    }

    private static <E extends Enum<E>> E enumField(Class<E> type, JsonNode json, String f) {
        String v = json.get(f).asText();
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(v)) {
                return e;
            }
        }
        throw new IllegalArgumentException("bucket property '" + f + "' must be one of "
                + java.util.Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT)).toList()
                + ", got '" + v + "'");
    }
}
