package io.kvorum.bench;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads and writes {@link BenchResult}s as JSON. */
public final class ResultJson {
    private final ObjectMapper mapper = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public String write(BenchResult result) {
        try {
            return mapper.writeValueAsString(result);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public BenchResult read(String json) {
        try {
            return mapper.readValue(json, BenchResult.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void write(BenchResult result, Path file) throws IOException {
        Files.writeString(file, write(result) + "\n");
    }

    public BenchResult read(Path file) throws IOException {
        return read(Files.readString(file));
    }
}
