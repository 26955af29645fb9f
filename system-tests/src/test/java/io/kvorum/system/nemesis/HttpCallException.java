package io.kvorum.system.nemesis;

/**
 * An HTTP call that got no complete response. {@link #requestSent()} tells whether any of the
 * request may have reached the server: false only when the connection was never established,
 * in which case the operation certainly did not happen.
 */
public final class HttpCallException extends RuntimeException {
    private final boolean requestSent;

    HttpCallException(String message, boolean requestSent, Throwable cause) {
        super(message, cause);
        this.requestSent = requestSent;
    }

    public boolean requestSent() {
        return requestSent;
    }
}
