package io.kvorum.node.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Function;

/** {@code kvorum status} and {@code kvorum ring}: the admin views of a running node as tables. */
public final class AdminCommands {
    private AdminCommands() {
    }

    abstract static class ViewCommand implements Callable<Integer> {
        @Option(names = "--node", defaultValue = "http://127.0.0.1:8081",
                description = "base URL of any node (default: ${DEFAULT-VALUE})")
        String node;

        @Option(names = "--json", description = "print the raw JSON instead of a table")
        boolean json;

        int show(String path, Function<JsonNode, String> view) {
            try {
                HttpResponse<String> r = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build()
                        .send(HttpRequest.newBuilder(URI.create(node.replaceAll("/+$", "") + path))
                                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200) {
                    System.err.println("kvorum: " + path + " answered " + r.statusCode() + ": " + r.body());
                    return 1;
                }
                System.out.print(json ? r.body() + "\n" : view.apply(new ObjectMapper().readTree(r.body())));
                return 0;
            } catch (Exception e) {
                System.err.println("kvorum: cannot reach " + node + ": " + e);
                return 1;
            }
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Members, their status as the node sees them, and partition ownership.")
    public static final class Status extends ViewCommand {
        @Override
        public Integer call() {
            return show("/admin/cluster", AdminViews::cluster);
        }
    }

    @Command(name = "ring", mixinStandardHelpOptions = true,
            description = "A summary of the partition table: ownership and replica counts per node.")
    public static final class Ring extends ViewCommand {
        @Override
        public Integer call() {
            return show("/admin/ring", AdminViews::ring);
        }
    }
}
