package io.kvorum.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code kvorum-bench run | ceiling | report}. */
@Command(name = "kvorum bench", mixinStandardHelpOptions = true, version = "kvorum-bench 0.1.0",
        description = "Load generator for Kvorum: YCSB-style workloads, HdrHistogram latencies, a ceiling server.",
        subcommands = {RunCommand.class, CeilingCommand.class, ReportCommand.class, StorageCommand.class,
                CommandLine.HelpCommand.class})
public final class BenchMain implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        return new CommandLine(new BenchMain())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler(BenchMain::report);
    }

    /** Bad settings exit 2 and failed runs exit 1, each with one line instead of a stack trace. */
    private static int report(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        Throwable cause = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null ? e.getCause() : e;
        cmd.getErr().println("kvorum bench: " + cause.getMessage());
        return cause instanceof IllegalArgumentException ? 2 : 1;
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
