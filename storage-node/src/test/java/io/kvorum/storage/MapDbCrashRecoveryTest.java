package io.kvorum.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * kill -9 of a node process that is writing as fast as it can, at a random acknowledged-write
 * count, several times over the same data directory: every write the engine acknowledged must be
 * there after reopening, and the store must open at all. Prints its seed. Runs with each
 * {@link StoreIo}, with the default checkpoint size and with one so small that most kills land
 * in or right after a checkpoint.
 */
class MapDbCrashRecoveryTest {
    private static final int KEYS = 8;

    @TempDir
    Path directory;

    @ParameterizedTest(name = "{0}, checkpointBytes {1}")
    @CsvSource({"MMAP, 8388608", "CHANNEL, 8388608", "MMAP, 65536", "CHANNEL, 65536"})
    void killMinusNineLosesNoAcknowledgedWrite(StoreIo io, long checkpointBytes) throws Exception {
        long seed = System.nanoTime();
        System.out.println("MapDbCrashRecoveryTest " + io + " " + checkpointBytes + " seed " + seed);
        Random random = new Random(seed);
        Path node = directory.resolve("node");
        for (int round = 0; round < 4; round++) {
            String prefix = "r" + round + "-";
            int killAfter = 200 + random.nextInt(800);
            Map<String, Long> acked = runAndKill(node, prefix, killAfter, round, io, checkpointBytes);
            assertTrue(acked.size() > 0, "the writer acknowledged nothing");

            try (MapDbStorageEngine engine = MapDbStorageEngine.open(node, Durability.SYNC, 10, checkpointBytes, io)) {
                for (Map.Entry<String, Long> ack : acked.entrySet()) {
                    Optional<KeyRecord> stored = engine.read(CrashWriter.key(ack.getKey())).get(30, TimeUnit.SECONDS);
                    assertTrue(stored.isPresent(), "seed " + seed + ": acknowledged key lost: " + ack.getKey());
                    long counter = CrashWriter.counter(stored.get());
                    assertTrue(counter >= ack.getValue(), "seed " + seed + ": " + ack.getKey() + " acknowledged "
                            + ack.getValue() + " but holds " + counter);
                }
                for (int r = 0; r < round; r++) { // earlier rounds survived this crash too
                    assertTrue(engine.read(CrashWriter.key("r" + r + "-0")).get(30, TimeUnit.SECONDS).isPresent());
                }
            }
        }
    }

    private Map<String, Long> runAndKill(Path node, String prefix, int killAfter, int round, StoreIo io,
                                         long checkpointBytes) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = Optional.ofNullable(System.getProperty("surefire.test.class.path"))
                .orElse(System.getProperty("java.class.path"));
        Path log = directory.resolve("writer-" + round + ".log");
        Process process = new ProcessBuilder(java, "-cp", classpath, CrashWriter.class.getName(),
                node.toString(), prefix, String.valueOf(KEYS), io.name(), String.valueOf(checkpointBytes))
                .redirectError(log.toFile())
                .start();
        Map<String, Long> acked = new HashMap<>();
        int acks = 0;
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while (acks < killAfter && (line = lines.readLine()) != null) {
                if (line.startsWith("ack ")) {
                    String[] parts = line.split(" ");
                    acked.merge(parts[1], Long.parseLong(parts[2]), Math::max);
                    acks++;
                }
            }
            process.toHandle().destroyForcibly(); // SIGKILL, leaving our end of the pipe open
            // acknowledgements already printed before the kill count too
            while ((line = lines.readLine()) != null) {
                if (line.startsWith("ack ")) {
                    String[] parts = line.split(" ");
                    acked.merge(parts[1], Long.parseLong(parts[2]), Math::max);
                }
            }
        }
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the writer did not die");
        assertEquals(List.of(), acks < killAfter ? Files.readAllLines(log) : List.of(),
                "the writer stopped early");
        return acked;
    }
}
