package io.kvorum.node.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Renders the JSON of /admin/cluster and /admin/ring as readable tables. Pure: JSON in, text out. */
public final class AdminViews {
    private AdminViews() {
    }

    public static String cluster(JsonNode c) {
        StringBuilder sb = new StringBuilder();
        sb.append("Cluster seen by ").append(c.path("node").asText()).append(" (ring epoch ")
                .append(c.path("epoch").asLong()).append(", ").append(c.path("partitions").asInt())
                .append(" partitions)\n\n");
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[]{"NODE", "ADDRESS", "STATUS", "PHI", "SINCE", "PARTITIONS", "OWNERSHIP", "PENDING HINTS"});
        for (JsonNode m : c.path("members")) {
            rows.add(new String[]{
                    m.path("id").asText() + (m.path("self").asBoolean() ? " *" : ""),
                    m.path("address").asText(),
                    m.path("status").asText(),
                    m.path("phi").isNumber() ? String.format("%.2f", m.path("phi").asDouble()) : "-",
                    m.path("since").asText(),
                    Integer.toString(m.path("partitionsOwned").asInt()),
                    String.format("%.1f%%", m.path("ownershipPercent").asDouble()),
                    Long.toString(m.path("pendingHints").asLong())});
        }
        table(sb, rows);
        JsonNode stats = c.path("stats");
        sb.append("\nThis node: ").append(stats.path("keys").asLong()).append(" keys, ")
                .append(stats.path("readRepairsSent").asLong()).append(" read repairs sent, ")
                .append(stats.path("lwwDiscarded").asLong()).append(" LWW writes discarded\n");
        JsonNode hints = c.path("hints");
        if (!hints.isMissingNode()) {
            sb.append("Hints held here: ").append(hints.path("delivered").asLong()).append(" delivered, ")
                    .append(hints.path("expired").asLong()).append(" expired, ")
                    .append(hints.path("refusedFull").asLong()).append(" refused (store full), ")
                    .append(hints.path("skippedPastWindow").asLong()).append(" not made (target down past the window)\n");
        }
        return sb.toString();
    }

    public static String ring(JsonNode r) {
        StringBuilder sb = new StringBuilder();
        int partitions = r.path("partitions").asInt();
        sb.append("Ring epoch ").append(r.path("epoch").asLong()).append(": ").append(partitions)
                .append(" partitions, n=").append(r.path("n").asInt()).append("\n\n");
        Map<String, int[]> counts = new LinkedHashMap<>();
        for (JsonNode row : r.path("table")) {
            counts.computeIfAbsent(row.path("owner").asText(), k -> new int[2])[0]++;
            for (JsonNode rep : row.path("replicas")) {
                counts.computeIfAbsent(rep.asText(), k -> new int[2])[1]++;
            }
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[]{"NODE", "OWNS", "OWNS %", "REPLICATES", "REPLICATES %"});
        counts.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> rows.add(new String[]{
                e.getKey(), Integer.toString(e.getValue()[0]), percent(e.getValue()[0], partitions),
                Integer.toString(e.getValue()[1]), percent(e.getValue()[1], partitions)}));
        table(sb, rows);
        sb.append("\nFirst partitions (owner, then replicas | fallbacks):\n");
        int shown = 0;
        for (JsonNode row : r.path("table")) {
            if (shown++ == 8) {
                sb.append("  ...\n");
                break;
            }
            sb.append(String.format("  %5d  %s | %s%n", row.path("partition").asInt(), join(row.path("replicas")),
                    join(row.path("fallbacks"))));
        }
        return sb.toString();
    }

    private static String percent(int count, int total) {
        return total == 0 ? "-" : String.format("%.1f%%", 100.0 * count / total);
    }

    private static String join(JsonNode arr) {
        List<String> items = new ArrayList<>();
        arr.forEach(n -> items.add(n.asText()));
        return items.isEmpty() ? "-" : String.join(" ", items);
    }

    private static void table(StringBuilder sb, List<String[]> rows) {
        int[] width = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(String.format("%-" + (width[i] + 2) + "s", row[i]));
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
    }
}
