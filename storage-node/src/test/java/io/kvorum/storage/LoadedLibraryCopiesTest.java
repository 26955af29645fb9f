package io.kvorum.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store process that is killed leaves no copy of lz4-java's native library in its temporary
 * directory (it used to leave one per start), and the maps parser picks exactly those copies.
 */
class LoadedLibraryCopiesTest {
    private static final Set<Path> TMP = Set.of(Path.of("/tmp"));

    @TempDir
    Path directory;

    @Test
    void onlyMappedUndeletedCopiesInTheTemporaryDirectoryAreUnlinked() {
        List<String> maps = List.of(
                "7f1c2a000000-7f1c2a001000 r--p 00000000 08:01 1311 /tmp/liblz4-java123.so",
                "7f1c2a001000-7f1c2a008000 r-xp 00001000 08:01 1311 /tmp/liblz4-java123.so",
                "7f1c2b000000-7f1c2b001000 r-xp 00000000 08:01 1312 /tmp/liblz4-java456.so (deleted)",
                "7f1c2c000000-7f1c2c001000 r-xp 00000000 08:01 1313 /usr/lib/liblz4-java.so",
                "7f1c2d000000-7f1c2d001000 r-xp 00000000 08:01 1314 /tmp/libnetty_transport_native_epoll.so",
                "7f1c2e000000-7f1c2e001000 r-xp 00000000 08:01 1315 /tmp/liblz4-java789.jar",
                "7f1c2f000000-7f1c2f001000 rw-p 00000000 00:00 0 [heap]",
                "7f1c30000000-7f1c30001000 rw-p 00000000 00:00 0");
        assertEquals(List.of(Path.of("/tmp/liblz4-java123.so")),
                LoadedLibraryCopies.copiesToUnlink(maps, LoadedLibraryCopies.LZ4_PREFIX, TMP));
    }

    @Test
    void aPathWithSpacesIsTakenWhole() {
        List<String> maps = List.of("7f00-7f01 r-xp 00000000 08:01 9 /tmp/my dir/liblz4-java1.so");
        assertEquals(List.of(Path.of("/tmp/my dir/liblz4-java1.so")), LoadedLibraryCopies.copiesToUnlink(
                maps, LoadedLibraryCopies.LZ4_PREFIX, Set.of(Path.of("/tmp/my dir"))));
    }

    @Test
    void aKilledStoreProcessLeavesNoLibraryCopyBehind() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/self/maps")), "needs /proc (Linux)");
        Path tmp = Files.createDirectories(directory.resolve("tmp"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = Optional.ofNullable(System.getProperty("surefire.test.class.path"))
                .orElse(System.getProperty("java.class.path"));
        Process process = new ProcessBuilder(java, "-Djava.io.tmpdir=" + tmp, "-cp", classpath,
                Child.class.getName(), directory.resolve("data").toString())
                .redirectError(directory.resolve("child.log").toFile())
                .start();
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line = lines.readLine();
            assertEquals("open", line, () -> "the child did not open its store: " + log());
            String maps = Files.readString(Path.of("/proc", String.valueOf(process.pid()), "maps"));
            assertTrue(maps.contains(tmp + "/" + LoadedLibraryCopies.LZ4_PREFIX),
                    "the child loaded lz4-java's native library from its temporary directory:\n" + maps);
            assertEquals(List.of(), lz4Files(tmp), "the loaded copy is unlinked while the store is open");
        } finally {
            process.toHandle().destroyForcibly(); // SIGKILL: no shutdown hook, no deleteOnExit
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the child did not die");
        }
        assertEquals(List.of(), lz4Files(tmp), "nothing of lz4-java is left after the kill");
    }

    private String log() {
        try {
            return Files.readString(directory.resolve("child.log"));
        } catch (java.io.IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private static List<Path> lz4Files(Path dir) throws java.io.IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith(LoadedLibraryCopies.LZ4_PREFIX)).toList();
        }
    }

    /** The child process: opens a record store, says "open", and waits to be killed (or for its stdin to close). */
    public static final class Child {
        private Child() {
        }

        public static void main(String[] args) throws Exception {
            MapDbStorageEngine.open(Path.of(args[0]), Durability.SYNC, 0);
            System.out.println("open");
            System.out.flush();
            System.in.read(); // blocks until the test kills this process, or ends itself and closes the pipe
        }
    }
}
