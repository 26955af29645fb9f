package io.kvorum.system.nemesis;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * The nemesis's own nftables table, {@code inet kvorum_nemesis}, and nothing else: applied with
 * one {@code nft -f -} transaction and removed with one {@code nft delete table}. The host's
 * other tables (Docker's, the distribution's) are never listed for change, flushed or edited.
 */
final class NftTable {
    private static final String QUALIFIED = PartitionRules.FAMILY + " " + PartitionRules.TABLE;

    private NftTable() {
    }

    /** Applies a script from {@link PartitionRules} atomically: all of it or none of it. */
    static void apply(String script) throws IOException {
        Command.Result r = Command.run(List.of("nft", "-f", "-"), script, Duration.ofSeconds(10));
        if (!r.succeeded()) {
            throw new IOException(r.describe() + "\nscript was:\n" + script);
        }
    }

    /** Deletes the table; answers false if it was not there. */
    static boolean delete() throws IOException {
        Command.Result r = Command.run(List.of("nft", "delete", "table", PartitionRules.FAMILY, PartitionRules.TABLE));
        if (r.succeeded()) {
            return true;
        }
        if (r.output().contains("No such file or directory")) {
            return false;
        }
        throw new IOException(r.describe());
    }

    /** The output of {@code nft list tables}: one {@code table <family> <name>} per line. */
    static List<String> listTables() throws IOException {
        Command.Result r = Command.run(List.of("nft", "list", "tables"));
        if (!r.succeeded()) {
            throw new IOException(r.describe());
        }
        return r.output().lines().map(String::trim).filter(l -> !l.isEmpty()).toList();
    }

    static boolean exists() throws IOException {
        return listTables().contains("table " + QUALIFIED);
    }

    /** The rules of the table as {@code nft list table} prints them. */
    static String list() throws IOException {
        Command.Result r = Command.run(List.of("nft", "list", "table", PartitionRules.FAMILY, PartitionRules.TABLE));
        if (!r.succeeded()) {
            throw new IOException(r.describe());
        }
        return r.output();
    }
}
