package io.kvorum.bench;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SummariesTest {

    @Test
    void percentilesComeOutInMillisecondsAndRateIsCountOverSeconds() {
        Histogram h = Summaries.newHistogram();
        for (int i = 1; i <= 1000; i++) {
            h.recordValue(i * 10L); // 10 us .. 10 ms
        }
        OpSummary s = Summaries.summarize("read", h, Map.of("503", 1L), 2.0);
        assertEquals(1000, s.count());
        assertEquals(500.0, s.throughput());
        assertEquals(5.0, s.p50Ms(), 0.01);
        assertEquals(9.9, s.p99Ms(), 0.01);
        assertEquals(10.0, s.maxMs(), 0.01);
        assertEquals(1, s.errorCount());
    }

    @Test
    void anEmptyHistogramSummarisesToZeros() {
        OpSummary s = Summaries.summarize("update", Summaries.newHistogram(), Map.of(), 1.0);
        assertEquals(0, s.count());
        assertEquals(0.0, s.p99Ms());
    }
}
