package io.kvorum.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreJournalTest {
    private static final int PAGE = 16;

    @TempDir
    Path dir;

    private static TreeMap<Long, byte[]> pages() {
        TreeMap<Long, byte[]> pages = new TreeMap<>();
        byte[] a = new byte[PAGE];
        Arrays.fill(a, (byte) 'a');
        byte[] b = new byte[PAGE];
        Arrays.fill(b, (byte) 'b');
        pages.put(0L, a);
        pages.put(48L, b); // past the end of the store file below: the file grows
        return pages;
    }

    private static byte[] bytes(ByteBuffer buffer) {
        return Arrays.copyOfRange(buffer.array(), buffer.position(), buffer.limit());
    }

    @Test
    void encodedJournalParsesBack() {
        StoreJournal.Image image = StoreJournal.parse(StoreJournal.encode(42, PAGE, pages())).orElseThrow();
        assertEquals(42, image.sequence());
        assertEquals(PAGE, image.pageSize());
        assertEquals(pages().keySet(), image.pages().keySet());
        assertArrayEquals(pages().get(48L), image.pages().get(48L));
    }

    @Test
    void everyTruncatedJournalIsIgnored() {
        byte[] full = bytes(StoreJournal.encode(1, PAGE, pages()));
        for (int length = 0; length < full.length; length++) {
            assertEquals(Optional.empty(), StoreJournal.parse(ByteBuffer.wrap(Arrays.copyOf(full, length))),
                    "length " + length);
        }
    }

    @Test
    void everyCorruptedByteMakesTheJournalIgnored() {
        byte[] full = bytes(StoreJournal.encode(1, PAGE, pages()));
        for (int i = 0; i < full.length; i++) {
            byte[] corrupt = full.clone();
            corrupt[i] ^= 0x40;
            assertEquals(Optional.empty(), StoreJournal.parse(ByteBuffer.wrap(corrupt)), "byte " + i);
        }
    }

    @Test
    void staleBytesAfterACompleteJournalDoNotMatter() {
        byte[] full = bytes(StoreJournal.encode(1, PAGE, pages()));
        byte[] withTail = Arrays.copyOf(full, full.length + 100);
        assertTrue(StoreJournal.parse(ByteBuffer.wrap(withTail)).isPresent());
    }

    @Test
    void recoveryAppliesACompleteJournalAndEmptiesIt() throws IOException {
        Path store = dir.resolve("store");
        Files.write(store, new byte[32]);
        Path journalFile = dir.resolve("journal");
        Files.write(journalFile, bytes(StoreJournal.encode(3, PAGE, pages())));

        try (StoreJournal journal = StoreJournal.open(journalFile)) {
            assertTrue(journal.recoverInto(store).isPresent());
        }

        byte[] recovered = Files.readAllBytes(store);
        assertEquals(64, recovered.length);
        assertArrayEquals(pages().get(0L), Arrays.copyOfRange(recovered, 0, PAGE));
        assertArrayEquals(new byte[32], Arrays.copyOfRange(recovered, 16, 48));
        assertArrayEquals(pages().get(48L), Arrays.copyOfRange(recovered, 48, 64));
        assertEquals(0, Files.size(journalFile));
    }

    @Test
    void recoveryIgnoresATornJournalAndLeavesTheStoreAlone() throws IOException {
        Path store = dir.resolve("store");
        Files.write(store, new byte[32]);
        Path journalFile = dir.resolve("journal");
        byte[] full = bytes(StoreJournal.encode(3, PAGE, pages()));
        Files.write(journalFile, Arrays.copyOf(full, full.length - 3));

        try (StoreJournal journal = StoreJournal.open(journalFile)) {
            assertEquals(Optional.empty(), journal.recoverInto(store));
        }

        assertArrayEquals(new byte[32], Files.readAllBytes(store));
        assertEquals(0, Files.size(journalFile));
    }

    @Test
    void replayingTwiceGivesTheSameFile() throws IOException {
        Path store = dir.resolve("store");
        Files.write(store, new byte[32]);
        Path journalFile = dir.resolve("journal");
        byte[] journalBytes = bytes(StoreJournal.encode(3, PAGE, pages()));
        Files.write(journalFile, journalBytes);
        try (StoreJournal journal = StoreJournal.open(journalFile)) {
            journal.recoverInto(store);
        }
        byte[] once = Files.readAllBytes(store);
        Files.write(journalFile, journalBytes); // a truncation that did not reach the disk
        try (StoreJournal journal = StoreJournal.open(journalFile)) {
            journal.recoverInto(store);
        }
        assertArrayEquals(once, Files.readAllBytes(store));
    }

    /**
     * An entry written from pages where they lie (parts of larger arrays, as a commit's chunks are
     * read from its dirty pages) is byte for byte the entry of the same pages as a map; an entry
     * larger than the reused buffer grows it; a count that does not match is refused.
     */
    @Test
    void pagesWrittenWhereTheyLieMakeTheSameEntryAsAMapOfCopies() throws IOException {
        byte[] big = new byte[4 * PAGE];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) i;
        }
        TreeMap<Long, byte[]> copies = new TreeMap<>();
        copies.put(16L, Arrays.copyOfRange(big, PAGE, 2 * PAGE));
        copies.put(64L, Arrays.copyOfRange(big, 3 * PAGE, 4 * PAGE));
        int many = 70_000 / (8 + PAGE); // more than the 64 KiB buffer holds at first
        TreeMap<Long, byte[]> manyCopies = new TreeMap<>();
        for (int i = 0; i < many; i++) {
            manyCopies.put((long) i * PAGE, Arrays.copyOfRange(big, 0, PAGE));
        }
        Path journalFile = dir.resolve("journal");
        try (StoreJournal journal = StoreJournal.open(journalFile)) {
            journal.write(7, PAGE, 2, sink -> {
                sink.page(16, big, PAGE);
                sink.page(64, big, 3 * PAGE);
            });
            journal.write(8, PAGE, many, sink -> {
                for (int i = 0; i < many; i++) {
                    sink.page((long) i * PAGE, big, 0);
                }
            });
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> journal.write(9, PAGE, 3, sink -> sink.page(0, big, 0)));
        }
        byte[] expected = new byte[StoreJournal.encodedSize(PAGE, 2) + StoreJournal.encodedSize(PAGE, many)];
        ByteBuffer.wrap(expected).put(StoreJournal.encode(7, PAGE, copies)).put(StoreJournal.encode(8, PAGE, manyCopies));
        assertArrayEquals(expected, Files.readAllBytes(journalFile));
    }

    @Test
    void appendedEntriesAreReplayedInOrder() throws IOException {
        Path journalFile = dir.resolve("journal");
        Path store = dir.resolve("store");
        Files.write(store, new byte[PAGE]);
        try (StoreJournal journal = StoreJournal.open(journalFile)) {
            journal.append(1, PAGE, pages());
            TreeMap<Long, byte[]> one = new TreeMap<>();
            byte[] c = new byte[PAGE];
            Arrays.fill(c, (byte) 'c');
            one.put(0L, c);
            journal.append(2, PAGE, one);
            assertEquals(2L * StoreJournal.encodedSize(PAGE, 2) - PAGE - 8, journal.size());
        }
        List<StoreJournal.Image> entries = StoreJournal.parseAll(ByteBuffer.wrap(Files.readAllBytes(journalFile)));
        assertEquals(List.of(1L, 2L), entries.stream().map(StoreJournal.Image::sequence).toList());
        try (StoreJournal journal = StoreJournal.open(journalFile)) {
            StoreJournal.Image merged = journal.recoverInto(store).orElseThrow();
            assertEquals(2, merged.sequence());
        }
        byte[] file = Files.readAllBytes(store);
        assertEquals('c', file[0], "the later entry wins");
        assertEquals('b', file[48]);
        assertEquals(0, Files.size(journalFile));
    }

    @Test
    void replayStopsAtAnEntryThatDoesNotContinueTheSequence() {
        byte[] first = bytes(StoreJournal.encode(5, PAGE, pages()));
        byte[] stale = bytes(StoreJournal.encode(3, PAGE, pages()));
        byte[] both = Arrays.copyOf(first, first.length + stale.length);
        System.arraycopy(stale, 0, both, first.length, stale.length);
        assertEquals(1, StoreJournal.parseAll(ByteBuffer.wrap(both)).size());
        byte[] torn = Arrays.copyOf(both, first.length + stale.length / 2);
        assertEquals(1, StoreJournal.parseAll(ByteBuffer.wrap(torn)).size());
    }
}
