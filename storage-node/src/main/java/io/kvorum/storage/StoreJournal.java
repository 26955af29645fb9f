package io.kvorum.storage;

import java.io.Closeable;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * A physical redo journal that makes each MapDB commit atomic on disk.
 *
 * <p>Before the pages a commit changed are written in place into the store file, their new
 * contents are written here and synced; only then is the store file updated and synced, and the
 * journal emptied. After a crash, a complete journal (its CRC matches) is replayed into the store
 * file before MapDB opens it, so the store is always either before or after a commit, never
 * torn in between. A torn journal means the store file was not touched yet and is discarded.
 * Replaying a journal twice is harmless: it writes the same bytes again.
 *
 * <pre>
 * magic:u64 sequence:u64 pageSize:u32 pageCount:u32 { fileOffset:u64 page:pageSize bytes } crc32c:u32
 * </pre>
 */
final class StoreJournal implements Closeable {
    static final long MAGIC = 0x4B76724A726E6C31L; // "KvrJrnl1"
    static final int HEADER_BYTES = 24;
    static final int TRAILER_BYTES = 4;
    static final int MAX_PAGE_SIZE = 1 << 20;

    /** The content of a complete journal. */
    record Image(long sequence, int pageSize, SortedMap<Long, byte[]> pages) {
    }

    private final Path path;
    private final FileChannel channel;

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

    /** Writes the pages of one commit (keyed by byte offset in the store file) and syncs them. */
    void write(long sequence, int pageSize, SortedMap<Long, byte[]> pages) throws IOException {
        ByteBuffer buffer = encode(sequence, pageSize, pages);
        long position = 0;
        while (buffer.hasRemaining()) {
            position += channel.write(buffer, position);
        }
        channel.force(false);
    }

    /**
     * Empties the journal once its commit is in the store file and synced. Not synced itself: a
     * stale complete journal only replays bytes that are already there, and the next commit's
     * journal write is synced before the store file changes again.
     */
    void clear() throws IOException {
        channel.truncate(0);
    }

    /**
     * Replays a complete journal into {@code storeFile} and syncs it, then empties the journal.
     *
     * @return the replayed image, or empty when the journal was empty or torn
     */
    Optional<Image> recoverInto(Path storeFile) throws IOException {
        long size = channel.size();
        if (size == 0) {
            return Optional.empty();
        }
        Optional<Image> image = Optional.empty();
        if (size <= Integer.MAX_VALUE) {
            ByteBuffer content = ByteBuffer.allocate((int) size);
            long position = 0;
            while (content.hasRemaining()) {
                int n = channel.read(content, position);
                if (n < 0) {
                    break;
                }
                position += n;
            }
            content.flip();
            image = parse(content);
        }
        if (image.isPresent() && Files.exists(storeFile)) {
            try (RandomAccessFile raf = new RandomAccessFile(storeFile.toFile(), "rw")) {
                for (Map.Entry<Long, byte[]> page : image.get().pages().entrySet()) {
                    raf.seek(page.getKey());
                    raf.write(page.getValue());
                }
                raf.getFD().sync();
            }
        }
        channel.truncate(0);
        channel.force(true);
        return image.filter(i -> Files.exists(storeFile));
    }

    static ByteBuffer encode(long sequence, int pageSize, SortedMap<Long, byte[]> pages) {
        long total = (long) HEADER_BYTES + (long) pages.size() * (8 + pageSize) + TRAILER_BYTES;
        if (total > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("commit too large for one journal record: " + total + " bytes");
        }
        ByteBuffer buffer = ByteBuffer.allocate((int) total);
        buffer.putLong(MAGIC).putLong(sequence).putInt(pageSize).putInt(pages.size());
        for (Map.Entry<Long, byte[]> page : pages.entrySet()) {
            if (page.getValue().length != pageSize) {
                throw new IllegalArgumentException("page of " + page.getValue().length + " bytes, expected " + pageSize);
            }
            buffer.putLong(page.getKey()).put(page.getValue());
        }
        CRC32C crc = new CRC32C();
        crc.update(buffer.array(), 0, buffer.position());
        buffer.putInt((int) crc.getValue());
        buffer.flip();
        return buffer;
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
