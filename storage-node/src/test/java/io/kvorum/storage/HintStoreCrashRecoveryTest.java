package io.kvorum.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a process that is storing hints as fast as group commit allows, at a random
 * acknowledged-hint count, three times over the same data directory: every acknowledged hint must
 * be there after reopening (coalesced to at least the acknowledged value), and the rebuilt counts
 * must match the stored hints. Prints its seed. (The journal's crash safety itself is tested with
 * the record store in {@link MapDbCrashRecoveryTest}; this checks that the hint store inherits it.)
 */
class HintStoreCrashRecoveryTest {
    private static final int KEYS = 8;

    @TempDir
    Path directory;

    @Test
    void killMinusNineLosesNoAcknowledgedHint() throws Exception {
        long seed = System.nanoTime();
        System.out.println("HintStoreCrashRecoveryTest seed " + seed);
        Random random = new Random(seed);
        Path node = directory.resolve("node");
        for (int round = 0; round < 3; round++) {
            String target = "node-" + round;
            Map<String, Long> acked = runAndKill(node, target, 100 + random.nextInt(500), round);
            assertTrue(acked.size() > 0, "the child acknowledged nothing");

            try (MapDbHintStore hints = MapDbHintStore.open(node, Long.MAX_VALUE)) {
                for (Map.Entry<String, Long> ack : acked.entrySet()) {
                    Optional<Hint> hint = hints.pending(target, 100).get(30, TimeUnit.SECONDS).stream()
                            .filter(h -> h.key().equals(CrashWriter.key(ack.getKey())))
                            .findFirst();
                    assertTrue(hint.isPresent(), "seed " + seed + ": acknowledged hint lost: " + ack.getKey());
                    long counter = CrashWriter.counter(hint.get().record());
                    assertTrue(counter >= ack.getValue(), "seed " + seed + ": " + ack.getKey() + " acknowledged "
                            + ack.getValue() + " but holds " + counter);
                    assertEquals(1, hint.get().createdAtMillis(), "the first write's time is kept");
                }
                for (int r = 0; r <= round; r++) {
                    long stored = hints.pending("node-" + r, 100).get(30, TimeUnit.SECONDS).size();
                    assertEquals(stored, hints.pendingCounts().getOrDefault("node-" + r, 0L), "rebuilt count");
                }
                for (int r = 0; r < round; r++) { // earlier rounds survived this crash too
                    assertTrue(hints.pendingCounts().getOrDefault("node-" + r, 0L) > 0);
                }
            }
        }
    }

    private Map<String, Long> runAndKill(Path node, String target, int killAfter, int round) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = Optional.ofNullable(System.getProperty("surefire.test.class.path"))
                .orElse(System.getProperty("java.class.path"));
        Path log = directory.resolve("child-" + round + ".log");
        Process process = new ProcessBuilder(java, "-cp", classpath, Child.class.getName(),
                node.toString(), target, String.valueOf(KEYS))
                .redirectError(log.toFile())
                .start();
        Map<String, Long> acked = new HashMap<>();
        int acks = 0;
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while (acks < killAfter && (line = lines.readLine()) != null) {
                if (record(line, acked)) {
                    acks++;
                }
            }
            process.toHandle().destroyForcibly(); // SIGKILL
            while ((line = lines.readLine()) != null) { // printed before the kill: acknowledged too
                record(line, acked);
            }
        }
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the child did not die");
        assertEquals(List.of(), acks < killAfter ? Files.readAllLines(log) : List.of(), "the child stopped early");
        return acked;
    }

    private static boolean record(String line, Map<String, Long> acked) {
        if (!line.startsWith("ack ")) {
            return false;
        }
        String[] parts = line.split(" ");
        acked.merge(parts[1], Long.parseLong(parts[2]), Math::max);
        return true;
    }

    /** The child process: hints increasing counters for a few keys, printing "ack key counter". */
    public static final class Child {
        private Child() {
        }

        public static void main(String[] args) throws IOException {
            Path directory = Path.of(args[0]);
            String target = args[1];
            int keys = Integer.parseInt(args[2]);
            PrintStream out = new PrintStream(System.out, true);
            MapDbHintStore hints = MapDbHintStore.open(directory, Long.MAX_VALUE);
            Semaphore inFlight = new Semaphore(64);
            for (long counter = 1; ; counter++) {
                for (int k = 0; k < keys; k++) {
                    inFlight.acquireUninterruptibly();
                    long value = counter;
                    String name = "k" + k;
                    hints.put(target, CrashWriter.key(name), CrashWriter.record(value), value).whenComplete((r, e) -> {
                        if (e == null) {
                            synchronized (out) {
                                out.println("ack " + name + " " + value);
                            }
                        }
                        inFlight.release();
                    });
                }
            }
        }
    }
}
