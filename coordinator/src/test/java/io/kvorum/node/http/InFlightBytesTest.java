package io.kvorum.node.http;

import io.kvorum.node.config.NodeConfig;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InFlightBytesTest {

    @Test
    void takesWhatFitsAndGivesItBack() {
        InFlightBytes b = new InFlightBytes(1000);
        assertTrue(b.tryAcquire(600));
        assertTrue(b.tryAcquire(400));
        assertFalse(b.tryAcquire(1), "full");
        assertEquals(1000, b.used());
        b.release(600);
        assertTrue(b.tryAcquire(500));
        assertFalse(b.tryAcquire(101));
        assertEquals(900, b.used(), "a refusal takes nothing");
    }

    @Test
    void oneValueAlwaysGetsThroughAnIdleNode() {
        InFlightBytes b = new InFlightBytes(10);
        assertTrue(b.tryAcquire(50), "nothing else held: a value over the limit still passes");
        assertFalse(b.tryAcquire(1));
        b.release(50);
        assertEquals(0, b.used());
        assertThrows(IllegalArgumentException.class, () -> b.tryAcquire(-1));
        assertThrows(IllegalArgumentException.class, () -> new InFlightBytes(0));
    }

    @Test
    void theLimitIsConfiguredOrAnEighthOfTheHeap() {
        NodeConfig.Limits defaults = NodeConfig.Limits.defaults();
        assertEquals(0, defaults.maxInFlightValueBytes());
        assertEquals(32L * 1024 * 1024, defaults.inFlightValueBytes(256L * 1024 * 1024));
        assertEquals(defaults.maxValueBytes(), defaults.inFlightValueBytes(1024 * 1024), "never under one value");
        NodeConfig.Limits set = new NodeConfig.Limits(1000, 1024, 5_000, 60_000, 64, 4000, 120_000, 4096, 8192, 5000);
        assertEquals(5000, set.inFlightValueBytes(256L * 1024 * 1024));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new NodeConfig.Limits(1000, 1024, 5_000, 60_000, 64, 4000, 120_000, 4096, 8192, 999));
        assertTrue(e.getMessage().contains("maxInFlightValueBytes"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new NodeConfig.Limits(1000, 1024, 5_000, 60_000, 64, 4000, 120_000, 4096, 8192, -1));
    }
}
