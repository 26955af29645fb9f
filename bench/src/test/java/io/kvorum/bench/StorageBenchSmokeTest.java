package io.kvorum.bench;

import io.kvorum.storage.StoreIo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

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
        StorageBench.Result channel = bench.run(dir.resolve("a"), StoreIo.CHANNEL, 0, 0, 200);
        StorageBench.Result mapped = bench.run(dir.resolve("b"), StoreIo.MMAP, 1 << 20, 1 << 16, 200);
        assertEquals(200, channel.operations());
        assertEquals(StoreIo.MMAP, mapped.io());
        assertTrue(channel.opsPerSecond() > 0 && mapped.opsPerSecond() > 0);
        assertTrue(channel.p99Millis() >= channel.p50Millis());
        assertTrue(mapped.minorFaultsPerOp() >= 0, "Linux counts minor faults: " + mapped.minorFaultsPerOp());

        StorageCommand command = new StorageCommand();
        command.records = 100;
        command.valueSize = 64;
        command.operations = 200;
        command.concurrency = 8;
        command.readProportion = 0.5;
        command.rounds = 1;
        String table = command.table(List.of(List.of(channel), List.of(mapped)));
        assertTrue(table.contains("| CHANNEL     |                      0 |                    0 |"), table);
        assertTrue(table.contains("| MMAP        |                1048576 |                65536 |"), table);
        assertTrue(table.contains("1.00x"), table);
    }

    @Test
    void comparesStoreFileIoByDefaultAndCheckpointSizesOrKeyCachesOnRequest() {
        StorageCommand byDefault = new StorageCommand();
        new CommandLine(byDefault).parseArgs();
        assertEquals(List.of(new StorageCommand.Variant(StoreIo.CHANNEL, 8L << 20, 16L << 20),
                new StorageCommand.Variant(StoreIo.MMAP, 8L << 20, 16L << 20)), byDefault.variants());

        StorageCommand checkpoints = new StorageCommand();
        new CommandLine(checkpoints).parseArgs("--io", "MMAP", "--checkpoint-bytes", "0,8388608");
        assertEquals(List.of(new StorageCommand.Variant(StoreIo.MMAP, 0, 16L << 20),
                new StorageCommand.Variant(StoreIo.MMAP, 8L << 20, 16L << 20)), checkpoints.variants());

        StorageCommand keyCache = new StorageCommand();
        new CommandLine(keyCache).parseArgs("--io", "MMAP", "--key-cache-bytes", "0,16777216");
        assertEquals(List.of(new StorageCommand.Variant(StoreIo.MMAP, 8L << 20, 0),
                new StorageCommand.Variant(StoreIo.MMAP, 8L << 20, 16L << 20)), keyCache.variants());
    }
}
