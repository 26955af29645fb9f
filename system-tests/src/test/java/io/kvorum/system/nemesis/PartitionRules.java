package io.kvorum.system.nemesis;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Writes the nftables script of a partition. Pure: endpoints in, script text out.
 *
 * <p>The script replaces the table atomically (declare it, delete it, define it, all in one
 * {@code nft -f -} transaction), so moving from one partition to another never opens a window
 * of full connectivity. On the loopback interface only, on both the output and the input hook,
 * it drops every packet between a node of one side and a node of the other, both ways: for each
 * cross pair A, B it drops A's requests to B's port and B's answers from it, and B's requests to
 * A's port and A's answers from it. Established keep-alive connections therefore stop carrying
 * data, not only new ones. The rules name the nodes' ports as well as their addresses, so other
 * processes on the same 127.x addresses (another cluster of another test run) are not cut, and
 * the test client (127.0.0.100) matches no rule.
 */
public final class PartitionRules {
    /** The family and name of the one table the nemesis owns; nothing else is ever touched. */
    public static final String FAMILY = "inet";
    public static final String TABLE = "kvorum_nemesis";

    private static final Pattern LOOPBACK_V4 =
            Pattern.compile("127\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)");

    private PartitionRules() {
    }

    /** The drop rules of a partition between two disjoint, non-empty sets of 127.x.y.z endpoints. */
    public static String script(Set<Endpoint> sideA, Set<Endpoint> sideB) {
        check(sideA, "first side");
        check(sideB, "second side");
        Set<Endpoint> shared = new TreeSet<>(sideA);
        shared.retainAll(sideB);
        if (!shared.isEmpty()) {
            throw new IllegalArgumentException("the sides of a partition must be disjoint; both hold " + shared);
        }
        List<String> matches = new ArrayList<>();
        for (Endpoint a : new TreeSet<>(sideA)) {
            for (Endpoint b : new TreeSet<>(sideB)) {
                matches.add(match(a.address(), b.address(), "dport", b.port())); // a asks b
                matches.add(match(b.address(), a.address(), "sport", b.port())); // b answers a
                matches.add(match(b.address(), a.address(), "dport", a.port())); // b asks a
                matches.add(match(a.address(), b.address(), "sport", a.port())); // a answers b
            }
        }
        String table = FAMILY + " " + TABLE;
        StringBuilder sb = new StringBuilder();
        sb.append("# kvorum system tests: partition ").append(new TreeSet<>(sideA)).append(" | ")
                .append(new TreeSet<>(sideB)).append('\n');
        sb.append("table ").append(table).append(" {}\n");
        sb.append("delete table ").append(table).append('\n');
        sb.append("table ").append(table).append(" {\n");
        chain(sb, "output", "oifname", matches);
        chain(sb, "input", "iifname", matches);
        sb.append("}\n");
        return sb.toString();
    }

    private static String match(String saddr, String daddr, String portField, int port) {
        return "ip saddr " + saddr + " ip daddr " + daddr + " tcp " + portField + " " + port;
    }

    private static void chain(StringBuilder sb, String hook, String ifMatch, List<String> matches) {
        sb.append("  chain ").append(hook).append(" {\n");
        sb.append("    type filter hook ").append(hook).append(" priority filter - 10; policy accept;\n");
        for (String m : matches) {
            sb.append("    ").append(ifMatch).append(" \"lo\" ").append(m).append(" drop\n");
        }
        sb.append("  }\n");
    }

    private static void check(Set<Endpoint> side, String name) {
        if (side.isEmpty()) {
            throw new IllegalArgumentException("the " + name + " of a partition is empty");
        }
        for (Endpoint e : side) {
            if (!LOOPBACK_V4.matcher(e.address()).matches()) {
                throw new IllegalArgumentException("refusing to write a rule for " + e
                        + ": the nemesis only partitions 127.x.y.z loopback addresses");
            }
        }
    }
}
