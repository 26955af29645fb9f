package io.kvorum.system.nemesis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Runs a short external command (nft, ip, id) and collects its exit code and output. */
final class Command {
    /** The exit code and the combined stdout and stderr of a command that finished. */
    record Result(List<String> argv, int exitCode, String output) {
        boolean succeeded() {
            return exitCode == 0;
        }

        String describe() {
            return String.join(" ", argv) + " exited with " + exitCode + (output.isBlank() ? "" : ": " + output.trim());
        }
    }

    private Command() {
    }

    static Result run(List<String> argv) throws IOException {
        return run(argv, null, Duration.ofSeconds(10));
    }

    /**
     * Runs {@code argv}, feeding it {@code stdin} when not null.
     *
     * @throws IOException if the program cannot be started (not installed) or does not finish in time
     */
    static Result run(List<String> argv, String stdin, Duration timeout) throws IOException {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        FutureTask<String> output = new FutureTask<>(() -> drain(p.getInputStream()));
        Thread reader = new Thread(output, "command-output");
        reader.setDaemon(true);
        reader.start();
        try (OutputStream in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", argv) + " did not finish within " + timeout);
            }
            return new Result(List.copyOf(argv), p.exitValue(), output.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + String.join(" ", argv), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("cannot collect the output of " + String.join(" ", argv) + ": " + e, e);
        }
    }

    private static String drain(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(output unreadable: " + e + ")";
        }
    }
}
