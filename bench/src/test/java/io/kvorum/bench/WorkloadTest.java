package io.kvorum.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class WorkloadTest {

    @ParameterizedTest
    @CsvSource({"A, 0.50", "b, 0.95", "C, 1.0", "w, 0.0"})
    void namedWorkloadsHaveTheirYcsbReadProportion(String name, double reads) {
        assertEquals(reads, Workload.named(name).readProportion());
    }

    @Test
    void unknownWorkloadIsRejectedWithTheChoices() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Workload.named("D"));
        assertEquals("unknown workload 'D' (A, B, C, W, or give --read-proportion)", e.getMessage());
    }

    @Test
    void readOnlyAndWriteOnlyNeverPickTheOtherOperation() {
        assertEquals(Operation.READ, Workload.named("C").operationFor(0.999999));
        assertEquals(Operation.UPDATE, Workload.named("W").operationFor(0.0));
    }

    @Test
    void customMixDrawsReadsInProportion() {
        Workload mix = Workload.custom(0.8);
        SplittableRandom random = new SplittableRandom(7);
        int reads = 0;
        int n = 100_000;
        for (int i = 0; i < n; i++) {
            reads += mix.operationFor(random.nextDouble()) == Operation.READ ? 1 : 0;
        }
        assertEquals(0.8, reads / (double) n, 0.01);
    }

    @Test
    void proportionOutsideZeroToOneIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> Workload.custom(1.5));
        assertThrows(IllegalArgumentException.class, () -> Workload.custom(Double.NaN));
    }
}
