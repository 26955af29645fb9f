package io.kvorum.node.http;

import io.kvorum.storage.StorageException;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * An error a client should see as problem+json (RFC 9457): an HTTP status, a title, a detail in
 * words, and extra members (for quorum failures: required, acked or replied).
 */
public final class ApiError extends RuntimeException {
    private final int status;
    private final String title;
    private final Map<String, Object> extras;

    public ApiError(int status, String title, String detail, Map<String, Object> extras) {
        super(detail, null, false, false);
        this.status = status;
        this.title = title;
        this.extras = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(extras));
    }

    public ApiError(int status, String title, String detail) {
        this(status, title, detail, Map.of());
    }

    public static ApiError badRequest(String detail) {
        return new ApiError(400, "Bad Request", detail);
    }

    public static ApiError notFound(String detail) {
        return new ApiError(404, "Not Found", detail);
    }

    /**
     * 503 for work this node's own storage could not do (a failed commit, a full disk): the
     * store refuses everything until the node restarts, which its log and {@code /ready} say.
     */
    public static ApiError storageFailed(StorageException e) {
        return new ApiError(503, "Service Unavailable", "this node's storage failed and refuses work until the node"
                + " is restarted: " + e.getMessage());
    }

    /** The {@link StorageException} that {@code failure} is or wraps (futures and executors wrap them), if any. */
    public static Optional<StorageException> storageCause(Throwable failure) {
        Throwable t = failure;
        for (int depth = 0; t != null && depth < 32; depth++, t = t.getCause()) { // bounded: causes may loop
            if (t instanceof StorageException se) {
                return Optional.of(se);
            }
        }
        return Optional.empty();
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return getMessage();
    }

    public Map<String, Object> extras() {
        return extras;
    }
}
