package io.kvorum.system.nemesis;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the nemesis needs from the machine: root, {@code nft} and {@code ip} on the PATH, a
 * working nftables (the capability to change it), and 127.0.0.0/8 delivered locally on
 * {@code lo}. In CI ({@code CI=true}) anything missing fails the test with the list; elsewhere
 * the test is skipped and the reason printed.
 */
public final class NemesisPrerequisites {
    /** What to do about the prerequisites. */
    public enum Verdict {
        READY,
        SKIP,
        FAIL
    }

    private static volatile List<String> cached;

    private NemesisPrerequisites() {
    }

    /** Fails (CI) or skips (elsewhere) the current test unless the nemesis can run here. */
    public static void require() {
        List<String> missing = missing();
        boolean ci = "true".equals(System.getenv("CI"));
        switch (verdict(missing, ci)) {
            case READY -> {
            }
            case FAIL -> Assertions.fail(message(missing, true));
            case SKIP -> {
                String m = message(missing, false);
                System.out.println("[nemesis] SKIPPED: " + m);
                Assumptions.abort(m);
            }
        }
    }

    /** Pure: what to do given what is missing and whether this is CI. */
    public static Verdict verdict(List<String> missing, boolean ci) {
        if (missing.isEmpty()) {
            return Verdict.READY;
        }
        return ci ? Verdict.FAIL : Verdict.SKIP;
    }

    static String message(List<String> missing, boolean ci) {
        return "the fault-injection harness cannot run: " + String.join("; ", missing)
                + (ci ? " (CI=true, so this is a failure: install nftables and iproute2 and run as root)"
                : " (set CI=true to make this a failure)");
    }

    /** The prerequisites that are not met, each in words; checked once per JVM. */
    public static List<String> missing() {
        List<String> m = cached;
        if (m == null) {
            m = List.copyOf(probe());
            cached = m;
        }
        return m;
    }

    private static List<String> probe() {
        List<String> missing = new ArrayList<>();
        try {
            Command.Result id = Command.run(List.of("id", "-u"));
            if (!id.succeeded() || !id.output().trim().equals("0")) {
                missing.add("not running as root (id -u says " + id.output().trim() + ")");
            }
        } catch (IOException e) {
            missing.add("cannot run 'id -u': " + e.getMessage());
        }
        boolean nft = onPath("nft", "nftables", missing);
        boolean ip = onPath("ip", "iproute2", missing);
        if (nft && missing.isEmpty()) {
            try {
                NftTable.listTables();
            } catch (IOException e) {
                missing.add("nftables does not work here (no CAP_NET_ADMIN or no nf_tables in the kernel?): "
                        + e.getMessage());
            }
        }
        if (ip) {
            try {
                Command.Result route = Command.run(List.of("ip", "route", "get", LoopbackClient.DEFAULT_SOURCE));
                if (!route.succeeded() || !route.output().startsWith("local ") || !route.output().contains(" dev lo ")) {
                    missing.add("127.0.0.0/8 is not delivered locally on lo: " + route.describe());
                }
            } catch (IOException e) {
                missing.add("cannot run 'ip route get': " + e.getMessage());
            }
        }
        return missing;
    }

    private static boolean onPath(String program, String apt, List<String> missing) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        missing.add("'" + program + "' is not on the PATH (apt-get install -y " + apt + ")");
        return false;
    }
}
