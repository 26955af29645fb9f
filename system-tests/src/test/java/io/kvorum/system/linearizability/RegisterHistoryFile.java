package io.kvorum.system.linearizability;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * A history kept as JSON lines, one {@link RegisterOp} a line, so that a failing system test can
 * leave its history behind and the check can be run again on it. Null fields are written as
 * {@code null}: an absent value.
 */
public final class RegisterHistoryFile {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RegisterHistoryFile() {
    }

    /** Writes {@code history} to {@code file}, creating its directory; replaces an existing file. */
    public static void write(Path file, Collection<RegisterOp> history) throws IOException {
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (RegisterOp op : history) {
                w.write(JSON.writeValueAsString(op));
                w.write('\n');
            }
        }
    }

    /** Reads a file written by {@link #write}. */
    public static List<RegisterOp> read(Path file) throws IOException {
        List<RegisterOp> out = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                out.add(JSON.readValue(line, RegisterOp.class));
            }
        }
        return out;
    }
}
