package io.kvorum.system.nemesis;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PartitionRulesTest {
    private static final Endpoint N1 = new Endpoint("127.0.0.1", 4001);
    private static final Endpoint N2 = new Endpoint("127.0.0.2", 4002);
    private static final Endpoint N3 = new Endpoint("127.0.0.3", 4003);

    @Test
    void dropsEveryCrossPairBothWaysOnOutputAndInputOfLoopback() {
        String script = PartitionRules.script(Set.of(N3), Set.of(N2, N1));

        assertEquals("""
                # kvorum system tests: partition [127.0.0.3:4003] | [127.0.0.1:4001, 127.0.0.2:4002]
                table inet kvorum_nemesis {}
                delete table inet kvorum_nemesis
                table inet kvorum_nemesis {
                  chain output {
                    type filter hook output priority filter - 10; policy accept;
                    oifname "lo" ip saddr 127.0.0.3 ip daddr 127.0.0.1 tcp dport 4001 drop
                    oifname "lo" ip saddr 127.0.0.1 ip daddr 127.0.0.3 tcp sport 4001 drop
                    oifname "lo" ip saddr 127.0.0.1 ip daddr 127.0.0.3 tcp dport 4003 drop
                    oifname "lo" ip saddr 127.0.0.3 ip daddr 127.0.0.1 tcp sport 4003 drop
                    oifname "lo" ip saddr 127.0.0.3 ip daddr 127.0.0.2 tcp dport 4002 drop
                    oifname "lo" ip saddr 127.0.0.2 ip daddr 127.0.0.3 tcp sport 4002 drop
                    oifname "lo" ip saddr 127.0.0.2 ip daddr 127.0.0.3 tcp dport 4003 drop
                    oifname "lo" ip saddr 127.0.0.3 ip daddr 127.0.0.2 tcp sport 4003 drop
                  }
                  chain input {
                    type filter hook input priority filter - 10; policy accept;
                    iifname "lo" ip saddr 127.0.0.3 ip daddr 127.0.0.1 tcp dport 4001 drop
                    iifname "lo" ip saddr 127.0.0.1 ip daddr 127.0.0.3 tcp sport 4001 drop
                    iifname "lo" ip saddr 127.0.0.1 ip daddr 127.0.0.3 tcp dport 4003 drop
                    iifname "lo" ip saddr 127.0.0.3 ip daddr 127.0.0.1 tcp sport 4003 drop
                    iifname "lo" ip saddr 127.0.0.3 ip daddr 127.0.0.2 tcp dport 4002 drop
                    iifname "lo" ip saddr 127.0.0.2 ip daddr 127.0.0.3 tcp sport 4002 drop
                    iifname "lo" ip saddr 127.0.0.2 ip daddr 127.0.0.3 tcp dport 4003 drop
                    iifname "lo" ip saddr 127.0.0.3 ip daddr 127.0.0.2 tcp sport 4003 drop
                  }
                }
                """, script);
    }

    @Test
    void aTwoByThreePartitionCoversEachCrossPairFourWaysPerHookAndNothingElse() {
        Endpoint n4 = new Endpoint("127.0.0.4", 4004);
        Endpoint n5 = new Endpoint("127.0.0.5", 4005);
        String script = PartitionRules.script(Set.of(N1, N2), Set.of(N3, n4, n5));
        List<String> rules = script.lines().filter(l -> l.endsWith(" drop")).toList();
        assertEquals(2 * 6 * 4, rules.size());
        assertEquals(6 * 4, rules.stream().filter(l -> l.contains("oifname")).count());
        assertTrue(rules.stream().noneMatch(l -> l.contains(LoopbackClient.DEFAULT_SOURCE)));
        assertTrue(rules.stream().noneMatch(l -> l.contains("saddr 127.0.0.1 ip daddr 127.0.0.2")
                || l.contains("saddr 127.0.0.4 ip daddr 127.0.0.5")), "no rule inside a side");
        for (String a : List.of("127.0.0.1", "127.0.0.2")) {
            for (String b : List.of("127.0.0.3", "127.0.0.4", "127.0.0.5")) {
                assertEquals(2, rules.stream().filter(l -> l.contains("oifname")
                        && l.contains("saddr " + a + " ip daddr " + b + " ")).count(), a + " -> " + b);
                assertEquals(2, rules.stream().filter(l -> l.contains("oifname")
                        && l.contains("saddr " + b + " ip daddr " + a + " ")).count(), b + " -> " + a);
            }
        }
    }

    @Test
    void nodesSharingAnAddressArePartitionedByPort() {
        Endpoint a = new Endpoint("127.0.0.1", 5001);
        Endpoint b = new Endpoint("127.0.0.1", 5002);
        String script = PartitionRules.script(Set.of(a), Set.of(b));
        assertTrue(script.contains("ip saddr 127.0.0.1 ip daddr 127.0.0.1 tcp dport 5002 drop"), script);
        assertTrue(script.contains("ip saddr 127.0.0.1 ip daddr 127.0.0.1 tcp sport 5001 drop"), script);
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.1", "192.168.1.2", "127.0.0.256", "127.0.0", "::1", "127.0.0.1; flush ruleset"})
    void refusesAnythingButLoopbackAddresses(String address) {
        assertThrows(IllegalArgumentException.class,
                () -> PartitionRules.script(Set.of(new Endpoint(address, 1)), Set.of(N2)));
    }

    @Test
    void refusesOverlappingOrEmptySidesAndBadPorts() {
        assertThrows(IllegalArgumentException.class, () -> PartitionRules.script(Set.of(N1, N2), Set.of(N2, N3)));
        assertThrows(IllegalArgumentException.class, () -> PartitionRules.script(Set.of(), Set.of(N2)));
        assertThrows(IllegalArgumentException.class, () -> new Endpoint("127.0.0.1", 0));
    }
}
