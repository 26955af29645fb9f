package io.kvorum.storage;

import java.io.Closeable;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * A physical redo journal that makes MapDB commits atomic and durable on disk.
 *
 * <p>Each commit appends one entry holding the new contents of the parts of pages it changed
 * (fixed-size chunks of them, {@link JournaledVolume#CHUNK_SIZE}; the entry's {@code pageSize}
 * says how large), and syncs
 * it ({@code fdatasync}); that sync is what makes the commit durable. The store file itself is
 * only updated at a checkpoint ({@link JournaledVolume}): the committed pages are written in
 * place, the store file is synced, and the journal restarts at offset 0. After a crash the
 * journal's intact entries are replayed in order into the store file before MapDB opens it
 * ({@link #recoverInto}), so the store is always exactly at its last commit, never torn.
 *
 * <p>Entries carry consecutive sequence numbers and a CRC; replay stops at the first entry that
 * is torn, corrupt, or does not continue the sequence. A restart does not truncate the file (the
 * next entry overwrites from offset 0, and a sync of data that stays within the file's size needs
 * no metadata update): whatever follows the newest entries is older, from before the last
 * checkpoint, and ends the replay by its lower sequence number. Stale entries met alone (a crash
 * right after a checkpoint, before any new entry) replay only states the checkpoint already
 * wrote. Replaying twice is harmless: it writes the same bytes again.
 *
 * <pre>
 * entry: magic:u64 sequence:u64 pageSize:u32 pageCount:u32 { fileOffset:u64 page:pageSize bytes } crc32c:u32
 * </pre>
 */
final class StoreJournal implements Closeable {
    static final long MAGIC = 0x4B76724A726E6C31L; // "KvrJrnl1"
    static final int HEADER_BYTES = 24;
    static final int TRAILER_BYTES = 4;
    static final int MAX_PAGE_SIZE = 1 << 20;

    /** The content of one entry, or of several merged (the later page wins). */
    record Image(long sequence, int pageSize, SortedMap<Long, byte[]> pages) {
    }

    /** Where one entry's pages come from: each as its offset in the store file, an array and a start in it. */
    @FunctionalInterface
    interface Pages {
        void each(PageSink sink);
    }

    /** Receives one page of an entry: {@code pageSize} bytes of {@code src} from {@code from}. */
    @FunctionalInterface
    interface PageSink {
        void page(long fileOffset, byte[] src, int from);
    }

    private final Path path;
    private final FileChannel channel;
    private long position;
    private ByteBuffer out = ByteBuffer.allocateDirect(64 * 1024); // reused: an entry is encoded straight into it

    private StoreJournal(Path path, FileChannel channel) {
        this.path = path;
        this.channel = channel;
    }

    static StoreJournal open(Path path) throws IOException {
        return new StoreJournal(path, FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE));
    }

    Path path() {
        return path;
    }

    /** Appends the pages of one commit (keyed by byte offset in the store file) and syncs them. */
    void append(long sequence, int pageSize, SortedMap<Long, byte[]> pages) throws IOException {
        write(sequence, pageSize, pages);
        force();
    }

    /** The first half of {@link #append}: writes the entry; it is durable only after {@link #force()}. */
    void write(long sequence, int pageSize, SortedMap<Long, byte[]> pages) throws IOException {
        write(sequence, pageSize, pages.size(), sorted(pageSize, pages));
    }

    /**
     * As {@link #write(long, int, SortedMap)}, the {@code count} pages read where they lie (in
     * ascending file offsets, by convention): no copy of them is made before the entry's own
     * buffer, which is reused from entry to entry.
     */
    void write(long sequence, int pageSize, int count, Pages pages) throws IOException {
        int total = checkedSize(pageSize, count);
        if (out.capacity() < total) {
            out = ByteBuffer.allocateDirect(Math.max(total, 2 * out.capacity()));
        }
        out.clear();
        encodeInto(out, sequence, pageSize, count, pages);
        out.flip();
        long at = position;
        while (out.hasRemaining()) {
            at += channel.write(out, at);
        }
        position = at;
    }

    /** The second half of {@link #append}: syncs what was written ({@code fdatasync}). */
    void force() throws IOException {
        channel.force(false);
    }

    /** Bytes appended since the journal was last restarted. */
    long size() {
        return position;
    }

    /**
     * Starts the journal over once every entry in it is in the store file and synced. Neither
     * truncated nor synced: the next entry overwrites from offset 0 (see the class comment).
     */
    void restart() {
        position = 0;
    }

    /** Empties the journal file (on a clean close, after a checkpoint). */
    void clear() throws IOException {
        channel.truncate(0);
        position = 0;
    }

    /**
     * Replays the journal's intact entries, in order, into {@code storeFile} and syncs it, then
     * empties the journal.
     *
     * @return the replayed entries merged into one image (the sequence of the last one), or
     *         empty when there was nothing to replay
     */
    Optional<Image> recoverInto(Path storeFile) throws IOException {
        return recoverInto(storeFile, this);
    }

    /**
     * Replays the intact entries of several journals (a volume's active and spare journal) into
     * {@code storeFile}, each journal's in order and the journals by their first sequence number,
     * older first; syncs the file, then empties every journal. Each journal holds the commits of
     * one checkpoint interval; replaying an interval that a checkpoint already wrote writes the
     * same bytes again, and the newer interval is replayed after it.
     */
    static Optional<Image> recoverInto(Path storeFile, StoreJournal... journals) throws IOException {
        List<List<Image>> chains = new ArrayList<>();
        for (StoreJournal journal : journals) {
            List<Image> chain = journal.readChain();
            if (!chain.isEmpty()) {
                chains.add(chain);
            }
        }
        chains.sort(java.util.Comparator.comparingLong(chain -> chain.get(0).sequence()));
        List<Image> entries = new ArrayList<>();
        chains.forEach(entries::addAll);
        Optional<Image> merged = merge(entries);
        if (merged.isPresent() && Files.exists(storeFile)) {
            try (RandomAccessFile raf = new RandomAccessFile(storeFile.toFile(), "rw")) {
                for (Image entry : entries) {
                    for (Map.Entry<Long, byte[]> page : entry.pages().entrySet()) {
                        raf.seek(page.getKey());
                        raf.write(page.getValue());
                    }
                }
                raf.getFD().sync();
            }
        }
        for (StoreJournal journal : journals) {
            journal.channel.truncate(0);
            journal.channel.force(true);
            journal.position = 0;
        }
        return merged.filter(i -> Files.exists(storeFile));
    }

    /** The intact entries from the start of the journal file. */
    private List<Image> readChain() throws IOException {
        long size = channel.size();
        if (size == 0 || size > Integer.MAX_VALUE) {
            return List.of();
        }
        ByteBuffer content = ByteBuffer.allocate((int) size);
        long at = 0;
        while (content.hasRemaining()) {
            int n = channel.read(content, at);
            if (n < 0) {
                break;
            }
            at += n;
        }
        content.flip();
        return parseAll(content);
    }

    /** The intact entries at the start of {@code content} with consecutive sequence numbers. */
    static List<Image> parseAll(ByteBuffer content) {
        List<Image> entries = new ArrayList<>();
        ByteBuffer rest = content.duplicate();
        while (rest.hasRemaining()) {
            Optional<Image> entry = parse(rest);
            if (entry.isEmpty()) {
                break;
            }
            Image image = entry.get();
            if (!entries.isEmpty() && (image.sequence() != entries.get(entries.size() - 1).sequence() + 1
                    || image.pageSize() != entries.get(0).pageSize())) {
                break;
            }
            entries.add(image);
            rest.position(rest.position() + encodedSize(image.pageSize(), image.pages().size()));
        }
        return entries;
    }

    private static Optional<Image> merge(List<Image> entries) {
        if (entries.isEmpty()) {
            return Optional.empty();
        }
        TreeMap<Long, byte[]> pages = new TreeMap<>();
        entries.forEach(e -> pages.putAll(e.pages()));
        Image last = entries.get(entries.size() - 1);
        return Optional.of(new Image(last.sequence(), last.pageSize(), Collections.unmodifiableSortedMap(pages)));
    }

    static int encodedSize(int pageSize, int pageCount) {
        return (int) ((long) HEADER_BYTES + (long) pageCount * (8 + pageSize) + TRAILER_BYTES);
    }

    static ByteBuffer encode(long sequence, int pageSize, SortedMap<Long, byte[]> pages) {
        ByteBuffer buffer = ByteBuffer.allocate(checkedSize(pageSize, pages.size()));
        encodeInto(buffer, sequence, pageSize, pages.size(), sorted(pageSize, pages));
        buffer.flip();
        return buffer;
    }

    private static int checkedSize(int pageSize, int count) {
        long total = (long) HEADER_BYTES + (long) count * (8 + pageSize) + TRAILER_BYTES;
        if (total > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("commit too large for one journal record: " + total + " bytes");
        }
        return (int) total;
    }

    private static Pages sorted(int pageSize, SortedMap<Long, byte[]> pages) {
        for (byte[] page : pages.values()) {
            if (page.length != pageSize) {
                throw new IllegalArgumentException("page of " + page.length + " bytes, expected " + pageSize);
            }
        }
        return sink -> pages.forEach((offset, page) -> sink.page(offset, page, 0));
    }

    /** Encodes one entry at the buffer's position, which must have room for it. */
    private static void encodeInto(ByteBuffer buffer, long sequence, int pageSize, int count, Pages pages) {
        int start = buffer.position();
        buffer.putLong(MAGIC).putLong(sequence).putInt(pageSize).putInt(count);
        pages.each((offset, src, from) -> buffer.putLong(offset).put(src, from, pageSize));
        int written = (buffer.position() - start - HEADER_BYTES) / (8 + pageSize);
        if (written != count) {
            throw new IllegalArgumentException(written + " pages given, " + count + " announced");
        }
        ByteBuffer covered = buffer.duplicate();
        covered.limit(buffer.position()).position(start);
        CRC32C crc = new CRC32C();
        crc.update(covered);
        buffer.putInt((int) crc.getValue());
    }

    /** The image in {@code content}, or empty if it is not a complete, intact journal. */
    static Optional<Image> parse(ByteBuffer content) {
        ByteBuffer in = content.duplicate();
        if (in.remaining() < HEADER_BYTES + TRAILER_BYTES || in.getLong() != MAGIC) {
            return Optional.empty();
        }
        long sequence = in.getLong();
        int pageSize = in.getInt();
        int pageCount = in.getInt();
        if (pageSize <= 0 || pageSize > MAX_PAGE_SIZE || pageCount < 0) {
            return Optional.empty();
        }
        long body = (long) pageCount * (8 + pageSize);
        if (body + TRAILER_BYTES > in.remaining()) {
            return Optional.empty();
        }
        int end = in.position() + (int) body;
        CRC32C crc = new CRC32C();
        ByteBuffer covered = content.duplicate();
        covered.limit(end);
        crc.update(covered);
        if ((int) crc.getValue() != content.duplicate().position(end).getInt()) {
            return Optional.empty();
        }
        TreeMap<Long, byte[]> pages = new TreeMap<>();
        for (int i = 0; i < pageCount; i++) {
            long offset = in.getLong();
            byte[] page = new byte[pageSize];
            in.get(page);
            if (offset < 0) {
                return Optional.empty();
            }
            pages.put(offset, page);
        }
        return Optional.of(new Image(sequence, pageSize, Collections.unmodifiableSortedMap(pages)));
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
