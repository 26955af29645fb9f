package io.kvorum.node.bucket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kvorum.node.quorum.ConsistencyLevel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BucketPropsTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text.replace('\'', '"'));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static ConsistencyLevel cl(String s) {
        return ConsistencyLevel.parse(s);
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        assertEquals(new BucketProps(3, ConsistencyLevel.QUORUM, ConsistencyLevel.QUORUM, ConflictMode.SIBLINGS,
                true, ReadRepairMode.ASYNC, 64), BucketProps.defaults());
    }

    @ParameterizedTest(name = "n={0} r={1} w={2} maxSiblings={3}")
    @CsvSource({
            "1,  ONE,    ONE,    1",
            "1,  QUORUM, ALL,    4096",
            "3,  THREE,  1,      64",
            "16, ALL,    16,     64",
            "2,  TWO,    QUORUM, 64",
    })
    void constructsValidProperties(int n, String r, String w, int maxSiblings) {
        assertDoesNotThrow(() -> new BucketProps(n, cl(r), cl(w), ConflictMode.LWW, false, ReadRepairMode.BLOCKING,
                maxSiblings));
    }

    @ParameterizedTest(name = "n={0} r={1} w={2} maxSiblings={3}")
    @CsvSource({
            "0,  ONE,    ONE,    64",   // n below 1
            "-1, ONE,    ONE,    64",
            "17, ONE,    ONE,    64",   // n above MAX_N
            "2,  THREE,  ONE,    64",   // r needs more replicas than n
            "2,  ONE,    THREE,  64",   // w needs more replicas than n
            "3,  4,      ONE,    64",
            "3,  ANY,    ONE,    64",   // not available in this version
            "3,  ONE,    SERIAL, 64",
            "3,  ONE,    ONE,    0",    // maxSiblings below 1
            "3,  ONE,    ONE,    4097", // maxSiblings above the limit
    })
    void rejectsInvalidProperties(int n, String r, String w, int maxSiblings) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new BucketProps(n, cl(r), cl(w), ConflictMode.SIBLINGS, true, ReadRepairMode.ASYNC, maxSiblings));
        assertFalse(e.getMessage().isBlank());
    }

    @Test
    void toJsonWritesEveryPropertyInTheClientsSpelling() {
        BucketProps p = new BucketProps(5, cl("2"), cl("ALL"), ConflictMode.LWW, false, ReadRepairMode.BLOCKING, 7);
        assertEquals(json("{'n':5,'r':'2','w':'ALL','conflict':'lww','sloppy':false,'readRepair':'blocking',"
                + "'maxSiblings':7}"), p.toJson(MAPPER));
    }

    @Test
    void toJsonHasExactlyTheFieldsWithJsonAccepts() {
        ObjectNode o = BucketProps.defaults().toJson(MAPPER);
        Set<String> names = new TreeSet<>();
        o.fieldNames().forEachRemaining(names::add);
        assertEquals(new TreeSet<>(List.of("n", "r", "w", "conflict", "sloppy", "readRepair", "maxSiblings")), names);
    }

    @Test
    void anEmptyUpdateChangesNothing() {
        BucketProps p = new BucketProps(5, cl("2"), cl("ALL"), ConflictMode.LWW, false, ReadRepairMode.BLOCKING, 7);
        assertEquals(p, p.withJson(json("{}")));
    }

    /** Each partial update changes its own fields and keeps every other one. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "{'n':5}                          | 5 | QUORUM | QUORUM | SIBLINGS | true  | ASYNC    | 64",
            "{'r':'ONE'}                      | 3 | ONE    | QUORUM | SIBLINGS | true  | ASYNC    | 64",
            "{'r':'one'}                      | 3 | ONE    | QUORUM | SIBLINGS | true  | ASYNC    | 64",
            "{'w':2}                          | 3 | QUORUM | 2      | SIBLINGS | true  | ASYNC    | 64",
            "{'w':'ALL'}                      | 3 | QUORUM | ALL    | SIBLINGS | true  | ASYNC    | 64",
            "{'conflict':'lww'}               | 3 | QUORUM | QUORUM | LWW      | true  | ASYNC    | 64",
            "{'conflict':'LWW'}               | 3 | QUORUM | QUORUM | LWW      | true  | ASYNC    | 64",
            "{'sloppy':false}                 | 3 | QUORUM | QUORUM | SIBLINGS | false | ASYNC    | 64",
            "{'readRepair':'blocking'}        | 3 | QUORUM | QUORUM | SIBLINGS | true  | BLOCKING | 64",
            "{'maxSiblings':4096}             | 3 | QUORUM | QUORUM | SIBLINGS | true  | ASYNC    | 4096",
            "{'n':1,'r':'ONE','w':'ALL'}      | 1 | ONE    | ALL    | SIBLINGS | true  | ASYNC    | 64",
            "{'n':16,'maxSiblings':1}         | 16| QUORUM | QUORUM | SIBLINGS | true  | ASYNC    | 1",
    })
    void partialUpdateChangesOnlyTheGivenFields(String update, int n, String r, String w, ConflictMode conflict,
                                                boolean sloppy, ReadRepairMode readRepair, int maxSiblings) {
        assertEquals(new BucketProps(n, cl(r), cl(w), conflict, sloppy, readRepair, maxSiblings),
                BucketProps.defaults().withJson(json(update)));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "[]", "'n'", "3", "null", "true",            // not an object
            "{'N':3}", "{'replicas':3}", "{'n':3,'x':1}", // unknown fields
            "{'n':0}", "{'n':17}", "{'n':'3'}", "{'n':3.5}", "{'n':null}", "{'n':true}", "{'n':99999999999}",
            "{'r':'MOST'}", "{'r':''}", "{'r':null}", "{'r':true}", "{'r':{}}", "{'r':4}", "{'r':0}", "{'r':'ANY'}",
            "{'w':'EXPLICIT'}", "{'w':[]}",
            "{'n':2,'r':'THREE'}", "{'n':2}",            // the base's r=THREE needs n >= 3
            "{'conflict':'merge'}", "{'conflict':1}", "{'conflict':null}",
            "{'sloppy':'true'}", "{'sloppy':1}", "{'sloppy':null}",
            "{'readRepair':'never'}", "{'readRepair':''}",
            "{'maxSiblings':0}", "{'maxSiblings':4097}", "{'maxSiblings':'64'}", "{'maxSiblings':6.4}",
    })
    void rejectsBadUpdatesWithAClientFacingMessage(String update) {
        BucketProps base = new BucketProps(3, cl("THREE"), cl("ONE"), ConflictMode.SIBLINGS, true,
                ReadRepairMode.ASYNC, 64);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> base.withJson(json(update)));
        assertFalse(e.getMessage().isBlank());
    }

    @ParameterizedTest(name = "{0} -> message mentions {1}")
    @CsvSource(delimiter = '|', value = {
            "{'replicas':3}   | replicas",
            "{'n':'3'}        | integer",
            "{'sloppy':'yes'} | true or false",
            "{'conflict':'x'} | lww",
            "{'maxSiblings':0}| maxSiblings",
            "[1]              | JSON object",
    })
    void errorMessagesSayWhatIsWrong(String update, String fragment) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BucketProps.defaults().withJson(json(update)));
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }

    @Test
    void rejectsANullUpdate() {
        assertThrows(IllegalArgumentException.class, () -> BucketProps.defaults().withJson(null));
    }

    @Test
    void loweringNBelowWhatTheLevelsNeedIsRejected() {
        BucketProps allThree = BucketProps.defaults().withJson(json("{'r':'THREE'}"));
        assertThrows(IllegalArgumentException.class, () -> allThree.withJson(json("{'n':2}")));
        assertEquals(2, allThree.withJson(json("{'n':2,'r':'TWO'}")).n());
    }

    @Test
    void fromJsonStartsFromTheDefaults() {
        assertEquals(BucketProps.defaults().withN(5), BucketProps.fromJson(json("{'n':5}")));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 17})
    void withNValidatesToo(int n) {
        assertThrows(IllegalArgumentException.class, () -> BucketProps.defaults().withN(n));
    }
}
