package io.kvorum.system.nemesis;

import io.kvorum.system.history.History;

import java.io.IOException;
import java.nio.file.Path;

/** Where scenario histories are kept: {@code system-tests/target/histories/<Class>.<method>-<seed>.jsonl}. */
final class HistoryKeeper {
    private HistoryKeeper() {
    }

    /** {@code target/histories} of the module (surefire runs tests with the module as basedir). */
    static Path defaultDirectory() {
        return Path.of(System.getProperty("basedir", "."), "target", "histories").toAbsolutePath().normalize();
    }

    /** Pure: the file of one scenario run; characters outside {@code [A-Za-z0-9._-]} become '_'. */
    static Path fileFor(Path dir, String testName, long seed) {
        return dir.resolve(testName.replaceAll("[^A-Za-z0-9._-]", "_") + "-" + seed + ".jsonl");
    }

    /** Pure: the file of another record of one scenario run, {@code <name>-<seed>.<suffix>.jsonl}. */
    static Path fileFor(Path dir, String testName, long seed, String suffix) {
        Path plain = fileFor(dir, testName, seed);
        String name = plain.getFileName().toString();
        return dir.resolve(name.substring(0, name.length() - ".jsonl".length()) + "."
                + suffix.replaceAll("[^A-Za-z0-9._-]", "_") + ".jsonl");
    }

    static Path keep(Path dir, String testName, long seed, History history) throws IOException {
        Path file = fileFor(dir, testName, seed);
        history.writeTo(file);
        return file;
    }
}
