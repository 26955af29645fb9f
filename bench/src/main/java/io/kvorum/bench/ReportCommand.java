package io.kvorum.bench;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code report}: one table of several JSON results, each beside its ceiling. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Prints one table of several 'run --json' results, each with its ratio to a ceiling result.")
final class ReportCommand implements Callable<Integer> {

    @Parameters(paramLabel = "LABEL=RESULT.json[,CEILING.json]", arity = "1..*",
            description = "a row: its label, its result file, and optionally the ceiling result to compare with")
    List<String> rows;

    @Override
    public Integer call() throws Exception {
        ResultJson json = new ResultJson();
        List<ComparisonTable.Row> table = new ArrayList<>();
        for (String spec : rows) {
            int eq = spec.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("expected LABEL=RESULT.json[,CEILING.json], got '" + spec + "'");
            }
            String[] files = spec.substring(eq + 1).split(",", 2);
            BenchResult ceiling = files.length > 1 ? json.read(Path.of(files[1])) : null;
            table.add(new ComparisonTable.Row(spec.substring(0, eq), json.read(Path.of(files[0])), ceiling));
        }
        System.out.print(ComparisonTable.format(table));
        return 0;
    }
}
