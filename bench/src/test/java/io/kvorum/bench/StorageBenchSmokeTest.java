package io.kvorum.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Keeps `bench storage` from rotting: a few hundred operations on a real store. Not a benchmark. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StorageBenchSmokeTest {
    @TempDir
    Path dir;

    @Test
    void measuresAMixOnAFreshStoreAndTabulatesRatiosToTheFirstVariant() throws Exception {
        StorageBench bench = new StorageBench(100, 64, 8, 0.5, 1);
        StorageBench.Result baseline = bench.run(dir.resolve("a"), 0, 200);
        StorageBench.Result deferred = bench.run(dir.resolve("b"), 1 << 20, 200);
        assertEquals(200, baseline.operations());
        assertTrue(baseline.opsPerSecond() > 0 && deferred.opsPerSecond() > 0);
        assertTrue(baseline.p99Millis() >= baseline.p50Millis());

        StorageCommand command = new StorageCommand();
        command.records = 100;
        command.valueSize = 64;
        command.operations = 200;
        command.concurrency = 8;
        command.readProportion = 0.5;
        command.rounds = 1;
        String table = command.table(List.of(List.of(baseline), List.of(deferred)));
        assertTrue(table.contains("|                      0 |"), table);
        assertTrue(table.contains("1.00x"), table);
    }
}
