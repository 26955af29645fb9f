package io.kvorum.node.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

class AdminViewsTest {
    private static final ObjectMapper M = new ObjectMapper();

    @Test
    void clusterTableListsEveryMemberWithStatusAndOwnership() throws Exception {
        JsonNode c = M.readTree("""
                {"node":"n1","epoch":1,"partitions":256,"members":[
                 {"id":"n1","address":"127.0.0.1:8081","self":true,"status":"UP","phi":0.0,"since":"2026-01-01T00:00:00Z",
                  "partitionsOwned":86,"ownershipPercent":33.6},
                 {"id":"n2","address":"127.0.0.1:8082","self":false,"status":"DOWN","phi":12.345,"since":"2026-01-01T00:01:00Z",
                  "partitionsOwned":85,"ownershipPercent":33.2,"pendingHints":7}],
                 "stats":{"keys":12,"readRepairsSent":3,"lwwDiscarded":0}}""");
        String table = AdminViews.cluster(c);
        assertTrue(table.contains("n1 *"), table);
        assertTrue(table.lines().anyMatch(l -> l.startsWith("n2") && l.contains("DOWN") && l.contains("12.35")
                && l.matches(".*33\\.2%\\s+7")), table);
        assertTrue(table.contains("12 keys, 3 read repairs sent"), table);
    }

    @Test
    void ringSummaryCountsOwnedAndReplicatedPartitionsPerNode() throws Exception {
        JsonNode r = M.readTree("""
                {"epoch":1,"partitions":2,"n":2,"table":[
                 {"partition":0,"owner":"a","replicas":["a","b"],"fallbacks":["c"]},
                 {"partition":1,"owner":"b","replicas":["b","c"],"fallbacks":["a"]}]}""");
        String summary = AdminViews.ring(r);
        assertTrue(summary.lines().anyMatch(l -> l.matches("b\\s+1\\s+50.0%\\s+2\\s+100.0%")), summary);
        assertTrue(summary.lines().anyMatch(l -> l.matches("c\\s+0\\s+0.0%\\s+1\\s+50.0%")), summary);
        assertTrue(summary.contains("0  a b | c"), summary);
    }
}
