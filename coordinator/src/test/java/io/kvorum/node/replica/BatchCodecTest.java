package io.kvorum.node.replica;

import io.vertx.core.buffer.Buffer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BatchCodecTest {
    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aRequestRoundTripsEveryFieldInOrder() {
        List<BatchCodec.Op> ops = List.of(
                new BatchCodec.Op(BatchCodec.READ, 0, "req-1", utf8("key")),
                new BatchCodec.Op(BatchCodec.WRITE, 64, null, utf8("write body")),
                new BatchCodec.Op(BatchCodec.MERGE, 0, "ünïcode-id", new byte[0]));
        List<BatchCodec.Op> back = BatchCodec.decodeRequest(BatchCodec.encodeRequest(ops), 10);
        assertEquals(3, back.size());
        for (int i = 0; i < ops.size(); i++) {
            assertEquals(ops.get(i).type(), back.get(i).type());
            assertEquals(ops.get(i).maxSiblings(), back.get(i).maxSiblings());
            assertEquals(ops.get(i).requestId(), back.get(i).requestId());
            assertArrayEquals(ops.get(i).payload(), back.get(i).payload());
        }
        assertNull(back.get(1).requestId());
    }

    @Test
    void aResponseRoundTripsStatusesAndBodies() {
        List<BatchCodec.Result> results = List.of(new BatchCodec.Result(200, utf8("record")),
                new BatchCodec.Result(404, new byte[0]), BatchCodec.Result.of(409, "too many siblings"));
        List<BatchCodec.Result> back = BatchCodec.decodeResponse(BatchCodec.encodeResponse(results).getBytes(), 3);
        assertEquals(List.of(200, 404, 409), back.stream().map(BatchCodec.Result::status).toList());
        assertEquals("too many siblings", new String(back.get(2).body(), StandardCharsets.UTF_8));
        assertArrayEquals(utf8("record"), back.get(0).body());
    }

    @Test
    void anAnswerWithTheWrongNumberOfResultsIsRefused() {
        byte[] two = BatchCodec.encodeResponse(List.of(new BatchCodec.Result(200, new byte[0]),
                new BatchCodec.Result(200, new byte[0]))).getBytes();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BatchCodec.decodeResponse(two, 3));
        assertTrue(e.getMessage().contains("2 results for 3 messages"), e.getMessage());
    }

    @Test
    void malformedRequestsAreRefusedWithAReason() {
        byte[] good = BatchCodec.encodeRequest(List.of(new BatchCodec.Op(BatchCodec.READ, 0, "r", utf8("k"))))
                .getBytes();
        assertThrows(IllegalArgumentException.class, () -> BatchCodec.decodeRequest(Buffer.buffer(new byte[0]), 10));
        assertThrows(IllegalArgumentException.class,
                () -> BatchCodec.decodeRequest(Buffer.buffer(Arrays.copyOf(good, good.length - 1)), 10));
        assertThrows(IllegalArgumentException.class,
                () -> BatchCodec.decodeRequest(Buffer.buffer(Arrays.copyOf(good, good.length + 1)), 10));
        byte[] wrongVersion = good.clone();
        wrongVersion[0] = 9;
        assertTrue(assertThrows(IllegalArgumentException.class, () -> BatchCodec.decodeRequest(Buffer.buffer(wrongVersion), 10))
                .getMessage().contains("version 9"));
        byte[] badType = good.clone();
        badType[5] = 7;
        assertTrue(assertThrows(IllegalArgumentException.class, () -> BatchCodec.decodeRequest(Buffer.buffer(badType), 10))
                .getMessage().contains("type 7"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> BatchCodec.decodeRequest(Buffer.buffer(good), 0))
                .getMessage().contains("0 to 0 messages"));
    }

    @Property(tries = 300)
    void anyBatchRoundTrips(@ForAll("ops") List<BatchCodec.Op> ops) {
        List<BatchCodec.Op> back = BatchCodec.decodeRequest(BatchCodec.encodeRequest(ops), 4096);
        assertEquals(ops.size(), back.size());
        for (int i = 0; i < ops.size(); i++) {
            assertEquals(ops.get(i).type(), back.get(i).type());
            assertEquals(ops.get(i).maxSiblings(), back.get(i).maxSiblings());
            assertEquals(ops.get(i).requestId() == null || ops.get(i).requestId().isEmpty()
                    ? null : ops.get(i).requestId(), back.get(i).requestId());
            assertArrayEquals(ops.get(i).payload(), back.get(i).payload());
        }
    }

    @Property(tries = 200)
    void truncatingAnyBatchIsDetected(@ForAll("ops") List<BatchCodec.Op> ops, @ForAll("cut") int cut) {
        byte[] body = BatchCodec.encodeRequest(ops).getBytes();
        int at = Math.floorMod(cut, body.length);
        assertThrows(IllegalArgumentException.class, () -> BatchCodec.decodeRequest(Buffer.buffer(Arrays.copyOf(body, at)), 4096));
    }

    @Provide
    Arbitrary<Integer> cut() {
        return Arbitraries.integers();
    }

    @Provide
    Arbitrary<List<BatchCodec.Op>> ops() {
        Arbitrary<BatchCodec.Op> op = Combinators.combine(
                Arbitraries.of(BatchCodec.READ, BatchCodec.MERGE, BatchCodec.WRITE, BatchCodec.MERGE_ACK),
                Arbitraries.integers().between(0, 1000),
                Arbitraries.strings().ofMaxLength(40).injectNull(0.3),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(300))
                .as(BatchCodec.Op::new);
        return op.list().ofMaxSize(20);
    }
}
