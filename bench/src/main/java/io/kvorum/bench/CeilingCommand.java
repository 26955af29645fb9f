package io.kvorum.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code ceiling}: serve GET/PUT /kv from memory until stopped, to measure this machine's ceiling. */
@Command(name = "ceiling", mixinStandardHelpOptions = true,
        description = {"Starts the ceiling server: GET/PUT /kv/{bucket}/{key} from a ConcurrentHashMap, "
                + "PUT /buckets/{bucket} answered 200, on as many event loops as a node's HTTP verticle.",
                "Drive it with 'run' and the same settings as the cluster. Stops on SIGTERM/Ctrl-C."})
final class CeilingCommand implements Callable<Integer> {

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "listen address (default ${DEFAULT-VALUE})")
    String host;

    @Option(names = "--port", defaultValue = "8090", description = "port, 0 = any free one (default ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--instances", description = "event loops serving HTTP (default: min(4, cores), as a node)")
    Integer instances;

    @Override
    public Integer call() throws Exception {
        int loops = instances != null ? instances : CeilingServer.nodeInstances();
        Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
        int actual = CeilingServer.deploy(vertx, host, port, loops).toCompletionStage().toCompletableFuture().get();
        System.out.println("ceiling server listening on " + host + ":" + actual + " (" + loops + " event loops, transport "
                + (vertx.isNativeTransportEnabled() ? "epoll" : "nio") + ")");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            vertx.close();
            stopped.countDown();
        }));
        stopped.await();
        return 0;
    }
}
