package io.kvorum.node;

import io.kvorum.node.cli.AdminCommands;
import io.kvorum.node.config.ConfigLoader;
import io.kvorum.node.config.NodeConfig;
import io.kvorum.ring.Clock;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** The command line: {@code kvorum node ...} runs one node. */
@Command(name = "kvorum", mixinStandardHelpOptions = true, version = "kvorum 0.1.0",
        description = "Kvorum: a Dynamo-style, leaderless, quorum-replicated key-value database.",
        subcommands = {Main.NodeCommand.class, AdminCommands.Status.class, AdminCommands.Ring.class})
public final class Main implements Callable<Integer> {

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Override
    public Integer call() {
        new CommandLine(this).usage(System.out);
        return 2;
    }

    @Command(name = "node", mixinStandardHelpOptions = true,
            description = "Run one node. Settings come from --config, then KVORUM_* environment variables, "
                    + "then flags (later wins). Every key is listed in docs/operations.md.")
    static final class NodeCommand implements Callable<Integer> {
        @Option(names = "--config", description = "YAML or JSON configuration file")
        Path config;
        @Option(names = "--id", description = "node id (nodeId)")
        String id;
        @Option(names = "--host", description = "address to listen on and to advertise (host)")
        String host;
        @Option(names = "--port", description = "HTTP port (port)")
        Integer port;
        @Option(names = "--data-dir", description = "data directory (dataDir)")
        String dataDir;
        @Option(names = "--members", description = "all members as id@host:port,... (members)")
        String members;
        @Option(names = "--secret", description = "cluster secret for internal calls (secret)")
        String secret;
        @Option(names = "--durability", description = "sync or periodic (durability)")
        String durability;
        @Option(names = "--set", description = "any configuration key, as key=value; repeatable")
        Map<String, String> settings = new LinkedHashMap<>();

        @Override
        public Integer call() throws Exception {
            Map<String, String> flags = new LinkedHashMap<>(settings);
            putIf(flags, "nodeId", id);
            putIf(flags, "host", host);
            putIf(flags, "port", port == null ? null : port.toString());
            putIf(flags, "dataDir", dataDir);
            putIf(flags, "members", members);
            putIf(flags, "secret", secret);
            putIf(flags, "durability", durability);
            NodeConfig cfg;
            try {
                Map<String, String> file = config == null ? Map.of() : ConfigLoader.readFile(config);
                cfg = ConfigLoader.build(file, ConfigLoader.fromEnvironment(System.getenv()), flags);
            } catch (IllegalArgumentException | java.io.IOException e) {
                System.err.println("kvorum: bad configuration: " + e.getMessage());
                return 2;
            }
            System.setProperty("kvorum.node", cfg.nodeId());
            org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Main.class);
            if (cfg.secret().equals(ConfigLoader.DEFAULT_SECRET)) {
                log.warn("using the built-in development cluster secret; set secret (KVORUM_SECRET) in production");
            }
            KvorumNode node;
            try {
                node = KvorumNode.start(cfg, Clock.system()).toCompletionStage().toCompletableFuture()
                        .get(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                log.error("node {} failed to start: {}", cfg.nodeId(), e.getMessage(), e);
                return 1;
            }
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                log.info("node {} shutting down", cfg.nodeId());
                try {
                    node.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
                } catch (Exception e) {
                    log.warn("shutdown did not complete cleanly: {}", e.getMessage());
                } finally {
                    stopped.countDown();
                }
            }, "kvorum-shutdown"));
            stopped.await();
            return 0;
        }

        private static void putIf(Map<String, String> m, String key, String value) {
            if (value != null) {
                m.put(key, value);
            }
        }
    }
}
