package io.kvorum.node.http;

import io.kvorum.node.bucket.BucketProps;
import io.kvorum.node.bucket.ConflictMode;
import io.kvorum.node.bucket.ReadRepairMode;
import io.kvorum.node.quorum.ConsistencyLevel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KvParamsTest {
    private static final long DEFAULT_TIMEOUT = 5_000;
    private static final long MAX_TIMEOUT = 60_000;
    /** n=3, r=ONE, w=ALL, sloppy=false: defaults that differ from the node's, so their use is visible. */
    private static final BucketProps PROPS = new BucketProps(3, ConsistencyLevel.parse("ONE"),
            ConsistencyLevel.parse("ALL"), ConflictMode.SIBLINGS, false, ReadRepairMode.ASYNC, 64);

    /** Builds a query from "a=1&b=2&a=3" the way a router does: repeated names collect values. */
    private static Map<String, List<String>> query(String q) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        if (q.isEmpty()) {
            return m;
        }
        for (String part : q.split("&", -1)) {
            int eq = part.indexOf('=');
            String name = eq < 0 ? part : part.substring(0, eq);
            String value = eq < 0 ? "" : part.substring(eq + 1);
            m.computeIfAbsent(name, k -> new java.util.ArrayList<>()).add(value);
        }
        return m;
    }

    private static KvParams read(String q) {
        return KvParams.forRead(query(q), PROPS, DEFAULT_TIMEOUT, MAX_TIMEOUT);
    }

    private static KvParams write(String q) {
        return KvParams.forWrite(query(q), PROPS, DEFAULT_TIMEOUT, MAX_TIMEOUT);
    }

    @Test
    void aWriteAtAnyNeedsOneAcknowledgementWhichAHintCanGive() {
        KvParams p = write("consistency=any&sloppy=true");
        assertTrue(p.level().isAny());
        assertEquals(1, p.level().writeRequired(3));
        assertEquals(p.level(), write("w=ANY&consistency=ANY&sloppy=true").level());
    }

    @Test
    void withoutParametersReadsUseTheBucketDefaults() {
        assertEquals(new KvParams(ConsistencyLevel.parse("ONE"), DEFAULT_TIMEOUT, false, false), read(""));
    }

    @Test
    void withoutParametersWritesUseTheBucketDefaults() {
        assertEquals(new KvParams(ConsistencyLevel.parse("ALL"), DEFAULT_TIMEOUT, false, false), write(""));
    }

    @ParameterizedTest(name = "read ?{0} -> {1}")
    @CsvSource({
            "consistency=QUORUM,              QUORUM",
            "consistency=quorum,              QUORUM",
            "consistency=2,                   2",
            "r=ALL,                           ALL",
            "r=two,                           TWO",
            "consistency=ONE&r=one,           ONE",   // agreeing spellings are fine
            "consistency=3&r=3,               3",
    })
    void readsTakeTheLevelFromConsistencyOrItsAliasR(String q, String level) {
        assertEquals(ConsistencyLevel.parse(level), read(q).level());
    }

    @ParameterizedTest(name = "write ?{0} -> {1}")
    @CsvSource({
            "consistency=ONE,       ONE",
            "w=QUORUM,              QUORUM",
            "w=1,                   1",
            "consistency=TWO&w=TWO, TWO",
    })
    void writesTakeTheLevelFromConsistencyOrItsAliasW(String q, String level) {
        assertEquals(ConsistencyLevel.parse(level), write(q).level());
    }

    @org.junit.jupiter.api.Test
    void serialIsAcceptedOnReadsAndWrites() {
        assertEquals(ConsistencyLevel.Kind.SERIAL, read("consistency=SERIAL").level().kind());
        assertEquals(ConsistencyLevel.Kind.SERIAL, write("w=serial").level().kind());
    }

    @ParameterizedTest(name = "read ?{0}")
    @ValueSource(strings = {
            "w=ONE",                       // the write alias on a read
            "returnbody=true",             // a write-only parameter on a read
            "Consistency=ONE",             // names are case-sensitive
            "foo=bar",
            "consistency=ONE&consistency=ONE",
            "timeout=10&timeout=20",
            "consistency=ONE&r=TWO",       // the alias disagrees
            "consistency=MOST",
            "consistency=",
            "consistency=0",
            "consistency=4",               // more than n=3
            "r=THREE&consistency=three&r=THREE",
            "consistency=ANY",             // writes only
            "r=any",
            "timeout=0",
            "timeout=-5",
            "timeout=60001",
            "timeout=abc",
            "timeout=1.5",
            "timeout=",
            "timeout=99999999999999999999",
            "sloppy=yes",
            "sloppy=1",
            "sloppy=",
    })
    void readRejectsBadParametersAsBadRequest(String q) {
        ApiError e = assertThrows(ApiError.class, () -> read(q));
        assertEquals(400, e.status());
        assertFalse(e.detail().isBlank());
    }

    @ParameterizedTest(name = "write ?{0}")
    @ValueSource(strings = {
            "r=ONE",
            "consistency=ONE&w=TWO",
            "w=4",
            "returnbody=yes",
            "returnbody=true&returnbody=true",
            "timeout=0",
            "timeout=60001",
            "sloppy=maybe",
            "consistency=ANY&sloppy=false",  // ANY needs hints
            "w=ANY&sloppy=false",
    })
    void writeRejectsBadParametersAsBadRequest(String q) {
        ApiError e = assertThrows(ApiError.class, () -> write(q));
        assertEquals(400, e.status());
        assertFalse(e.detail().isBlank());
    }

    @ParameterizedTest(name = "?{0}")
    @CsvSource(delimiter = '|', value = {
            "foo=1                 | foo",
            "consistency=ONE&r=TWO | disagree",
            "consistency=4         | n is 3",
            "timeout=60001         | 60000",
            "timeout=abc           | abc",
            "sloppy=yes            | sloppy",
    })
    void errorDetailNamesTheProblem(String q, String fragment) {
        ApiError e = assertThrows(ApiError.class, () -> read(q));
        assertTrue(e.detail().contains(fragment), e.detail());
    }

    @ParameterizedTest(name = "timeout={0}")
    @ValueSource(longs = {1, 250, 5_000, 60_000})
    void acceptsTimeoutsFromOneMillisecondToTheMaximum(long timeout) {
        assertEquals(timeout, read("timeout=" + timeout).timeoutMillis());
        assertEquals(timeout, write("timeout=" + timeout).timeoutMillis());
    }

    @ParameterizedTest(name = "sloppy={0} -> {1}")
    @CsvSource({"true, true", "TRUE, true", "True, true", "false, false", "FALSE, false"})
    void sloppyOverridesTheBucketDefaultCaseInsensitively(String value, boolean expected) {
        assertEquals(expected, read("sloppy=" + value).sloppy());
        assertEquals(expected, write("sloppy=" + value).sloppy());
    }

    @Test
    void sloppyDefaultsToTheBucketProperty() {
        BucketProps sloppyBucket = BucketProps.defaults();
        assertTrue(sloppyBucket.sloppy());
        assertTrue(KvParams.forRead(Map.of(), sloppyBucket, DEFAULT_TIMEOUT, MAX_TIMEOUT).sloppy());
        assertFalse(read("").sloppy());
    }

    @ParameterizedTest(name = "returnbody={0} -> {1}")
    @CsvSource({"true, true", "false, false", "TRUE, true"})
    void returnBodyIsReadOnWrites(String value, boolean expected) {
        assertEquals(expected, write("returnbody=" + value).returnBody());
    }

    @Test
    void aParameterWithNoValuesCountsAsAbsent() {
        Map<String, List<String>> q = Map.of("consistency", List.of(), "timeout", List.of());
        KvParams p = KvParams.forRead(q, PROPS, DEFAULT_TIMEOUT, MAX_TIMEOUT);
        assertEquals(ConsistencyLevel.parse("ONE"), p.level());
        assertEquals(DEFAULT_TIMEOUT, p.timeoutMillis());
    }

    @Test
    void theLevelIsCheckedAgainstTheBucketsReplicationFactor() {
        BucketProps single = BucketProps.defaults().withN(1);
        ApiError e = assertThrows(ApiError.class,
                () -> KvParams.forRead(query("consistency=TWO"), single, DEFAULT_TIMEOUT, MAX_TIMEOUT));
        assertEquals(400, e.status());
        assertEquals(ConsistencyLevel.parse("ALL"),
                KvParams.forRead(query("consistency=ALL"), single, DEFAULT_TIMEOUT, MAX_TIMEOUT).level());
    }
}
