package io.kvorum.storage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Removes the copy of lz4-java's native library that this process loaded from the temporary
 * directory, as soon as it is loaded.
 *
 * <p>MapDB hashes with lz4-java's xxHash, which on first use copies its native library to
 * {@code java.io.tmpdir/liblz4-java<random>.so} and deletes that copy only when the JVM exits
 * normally. A node that is killed (SIGKILL, the OOM killer, a power cut) left one file behind per
 * start, and a fault test that kills nodes in a loop filled the temporary directory. On Linux a
 * loaded library stays mapped after its file is unlinked, so the copy is deleted at once: the
 * process keeps using it and nothing is left for a kill to leak. Only files this process has
 * mapped, named as lz4-java names its copies and lying in the temporary directory, are touched.
 * Where {@code /proc/self/maps} does not exist this does nothing.
 */
final class LoadedLibraryCopies {
    private static final Logger LOG = LoggerFactory.getLogger(LoadedLibraryCopies.class);
    static final String LZ4_PREFIX = "liblz4-java";
    private static final Path MAPS = Path.of("/proc/self/maps");

    private LoadedLibraryCopies() {
    }

    /** Loads lz4-java's native library as MapDB would, then unlinks this process's copy of it. */
    static void unlinkLz4Copy() {
        // MapDB's factory loads the library lazily, at the first hash: hash once to load it now
        org.mapdb.CC.HASH_FACTORY.hash64().hash(new byte[1], 0, 1, 0L);
        if (!Files.isReadable(MAPS)) {
            return;
        }
        try {
            Path tmp = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath().normalize();
            Set<Path> tmpDirs = new HashSet<>(List.of(tmp));
            if (Files.isDirectory(tmp)) {
                tmpDirs.add(tmp.toRealPath()); // the maps show where a link to it leads
            }
            for (Path copy : copiesToUnlink(Files.readAllLines(MAPS), LZ4_PREFIX, tmpDirs)) {
                Files.deleteIfExists(copy);
            }
        } catch (IOException | RuntimeException e) { // a leftover file is not worth failing a start for
            LOG.warn("could not unlink the loaded copy of {} from the temporary directory", LZ4_PREFIX, e);
        }
    }

    /**
     * The files named {@code prefix*.so} in one of {@code dirs} that the lines of a
     * {@code /proc/<pid>/maps} file show as mapped and not yet deleted, each once.
     */
    static List<Path> copiesToUnlink(List<String> mapsLines, String prefix, Set<Path> dirs) {
        List<Path> copies = new ArrayList<>();
        for (String line : mapsLines) {
            int slash = line.indexOf('/'); // address, permissions, offset, device and inode hold none
            if (slash < 0 || line.endsWith(" (deleted)")) {
                continue;
            }
            Path file = Path.of(line.substring(slash));
            Path name = file.getFileName();
            if (name == null || file.getParent() == null) {
                continue;
            }
            String n = name.toString();
            if (n.startsWith(prefix) && n.endsWith(".so") && dirs.contains(file.getParent())
                    && !copies.contains(file)) {
                copies.add(file);
            }
        }
        return List.copyOf(copies);
    }
}
