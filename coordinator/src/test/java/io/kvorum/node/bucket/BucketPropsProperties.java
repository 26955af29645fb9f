package io.kvorum.node.bucket;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kvorum.node.quorum.ConsistencyLevel;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** toJson and withJson agree: the JSON a node shows is the JSON it accepts, for every valid bucket. */
class BucketPropsProperties {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    static Arbitrary<ConsistencyLevel> levelFor(int n) {
        List<String> names = new ArrayList<>(List.of("ONE", "QUORUM", "ALL"));
        if (n >= 2) {
            names.add("TWO");
        }
        if (n >= 3) {
            names.add("THREE");
        }
        for (int i = 1; i <= n; i++) {
            names.add(Integer.toString(i));
        }
        return Arbitraries.of(names).map(ConsistencyLevel::parse);
    }

    @Provide
    static Arbitrary<BucketProps> validProps() {
        return Arbitraries.integers().between(1, BucketProps.MAX_N).flatMap(n -> Combinators.combine(
                levelFor(n), levelFor(n), Arbitraries.of(ConflictMode.class), Arbitraries.of(true, false),
                Arbitraries.of(ReadRepairMode.class), Arbitraries.integers().between(1, BucketProps.MAX_SIBLINGS_LIMIT))
                .as((r, w, c, s, rr, ms) -> new BucketProps(n, r, w, c, s, rr, ms)));
    }

    @Property(tries = 1000)
    void withJsonOfToJsonReproducesTheProperties(@ForAll("validProps") BucketProps base,
                                                 @ForAll("validProps") BucketProps p) {
        assertEquals(p, base.withJson(p.toJson(MAPPER)));
    }

    @Property(tries = 500)
    void fromJsonOfToJsonReproducesTheProperties(@ForAll("validProps") BucketProps p) {
        assertEquals(p, BucketProps.fromJson(p.toJson(MAPPER)));
    }

    @Property(tries = 500)
    void anEmptyUpdateIsTheIdentity(@ForAll("validProps") BucketProps p) {
        assertEquals(p, p.withJson(MAPPER.createObjectNode()));
    }

    /** A one-field update taken from q changes exactly that field of p (when the result is valid). */
    @Property(tries = 1000)
    void aOneFieldUpdateChangesExactlyThatField(@ForAll("validProps") BucketProps p, @ForAll("validProps") BucketProps q,
                                                @ForAll("fields") String field) {
        ObjectNode update = MAPPER.createObjectNode();
        update.set(field, q.toJson(MAPPER).get(field));
        BucketProps result;
        try {
            result = p.withJson(update);
        } catch (IllegalArgumentException e) {
            // only n, r and w interact; any other single-field change of a valid bucket is valid
            net.jqwik.api.Assume.that(false);
            return;
        }
        ObjectNode expected = p.toJson(MAPPER);
        expected.set(field, q.toJson(MAPPER).get(field));
        assertEquals(expected, result.toJson(MAPPER));
    }

    @Provide
    Arbitrary<String> fields() {
        return Arbitraries.of("n", "r", "w", "conflict", "sloppy", "readRepair", "maxSiblings");
    }

    @Property(tries = 500)
    void onlyCombinationsOfNRAndWCanMakeAOneFieldUpdateInvalid(@ForAll("validProps") BucketProps p,
                                                              @ForAll("validProps") BucketProps q) {
        for (String field : List.of("conflict", "sloppy", "readRepair", "maxSiblings")) {
            ObjectNode update = MAPPER.createObjectNode();
            update.set(field, q.toJson(MAPPER).get(field));
            assertEquals(q.toJson(MAPPER).get(field), p.withJson(update).toJson(MAPPER).get(field));
        }
    }
}
