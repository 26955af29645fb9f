package io.kvorum.storage;

/**
 * The storage engine could not read or persist data (an I/O error, a failed commit, a corrupt
 * store). Writes that fail with it are not acknowledged; an engine that had a commit fail stops
 * accepting work (fail-stop) until the node is restarted and MapDB recovers from its log.
 */
public final class StorageException extends RuntimeException {
    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
