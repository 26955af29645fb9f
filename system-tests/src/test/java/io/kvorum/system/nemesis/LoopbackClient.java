package io.kvorum.system.nemesis;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A tiny HTTP/1.1 client for tests whose connections come from their own loopback address
 * (127.0.0.100 by default), which no node has: partition rules match node-to-node pairs only, so
 * this client reaches every node whatever the partition. (The JDK's {@code java.net.http} client
 * cannot bind a local address, and from the default source 127.0.0.1, n1's address, a partition
 * isolating n1 would also cut the test off from the other side.)
 *
 * <p>One connection per request ({@code Connection: close}): an error before the connection is
 * established means the request was never sent; any later error means it may have been.
 */
public final class LoopbackClient {
    public static final String DEFAULT_SOURCE = "127.0.0.100";
    private static final int MAX_HEADER_BYTES = 64 * 1024;

    private final String sourceAddress;
    private final Duration connectTimeout;
    private final Duration readTimeout;

    /** From 127.0.0.100, 2 s to connect, 10 s for the whole response (above the nodes' 5 s default deadline). */
    public LoopbackClient() {
        this(DEFAULT_SOURCE, Duration.ofSeconds(2), Duration.ofSeconds(10));
    }

    public LoopbackClient(String sourceAddress, Duration connectTimeout, Duration readTimeout) {
        this.sourceAddress = sourceAddress;
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
    }

    public String sourceAddress() {
        return sourceAddress;
    }

    public HttpReply get(String url) {
        return send("GET", url, null, Map.of());
    }

    public HttpReply put(String url, byte[] body, String contentType) {
        return send("PUT", url, body, Map.of("Content-Type", contentType));
    }

    /**
     * Sends one request and reads the whole response.
     *
     * @throws HttpCallException when no complete response arrived within the timeouts
     */
    public HttpReply send(String method, String url, byte[] body, Map<String, String> headers) {
        URI uri = URI.create(url);
        int port = uri.getPort() < 0 ? 80 : uri.getPort();
        String target = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        String what = method + " " + url + " from " + sourceAddress;
        long deadline = System.nanoTime() + readTimeout.toNanos();
        try (Socket socket = new Socket()) {
            try {
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress(sourceAddress, 0));
                socket.connect(new InetSocketAddress(uri.getHost(), port), (int) connectTimeout.toMillis());
            } catch (IOException e) {
                throw new HttpCallException(what + ": not connected: " + e, false, e);
            }
            try {
                socket.setTcpNoDelay(true);
                socket.setSoTimeout((int) readTimeout.toMillis());
                writeRequest(socket.getOutputStream(), method, target, uri.getHost() + ":" + port, body, headers);
                return readResponse(new BufferedInputStream(socket.getInputStream()), method, socket, deadline);
            } catch (SocketTimeoutException e) {
                throw new HttpCallException(what + ": no complete response within " + readTimeout, true, e);
            } catch (IOException e) {
                throw new HttpCallException(what + ": " + e, true, e);
            }
        } catch (IOException e) {
            // closing the socket failed: the outcome is unknown
            throw new HttpCallException(what + ": " + e, true, e);
        }
    }

    private static void writeRequest(OutputStream out, String method, String target, String host, byte[] body,
                                     Map<String, String> headers) throws IOException {
        StringBuilder head = new StringBuilder();
        head.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
        head.append("Host: ").append(host).append("\r\n");
        head.append("Connection: close\r\n");
        if (body != null || !method.equals("GET")) {
            head.append("Content-Length: ").append(body == null ? 0 : body.length).append("\r\n");
        }
        headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        head.append("\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (body != null) {
            out.write(body);
        }
        out.flush();
    }

    private static HttpReply readResponse(InputStream in, String method, Socket socket, long deadline)
            throws IOException {
        String statusLine = readLine(in, socket, deadline);
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP/1.x status line: " + statusLine);
        }
        int status = Integer.parseInt(parts[1]);
        Map<String, String> headers = new HashMap<>();
        int headerBytes = 0;
        for (String line = readLine(in, socket, deadline); !line.isEmpty(); line = readLine(in, socket, deadline)) {
            headerBytes += line.length();
            if (headerBytes > MAX_HEADER_BYTES) {
                throw new IOException("response headers exceed " + MAX_HEADER_BYTES + " bytes");
            }
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.merge(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim(),
                        (a, b) -> a + ", " + b);
            }
        }
        byte[] body;
        if (method.equals("HEAD") || status == 204 || status == 304 || status / 100 == 1) {
            body = new byte[0];
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = readChunked(in, socket, deadline);
        } else if (headers.containsKey("content-length")) {
            body = readExactly(in, Integer.parseInt(headers.get("content-length")), socket, deadline);
        } else {
            body = readToEnd(in, socket, deadline);
        }
        return new HttpReply(status, headers, body);
    }

    private static String readLine(InputStream in, Socket socket, long deadline) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int b = read(in, socket, deadline);
            if (b < 0) {
                throw new EOFException("connection closed in the middle of the response head");
            }
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, len, StandardCharsets.ISO_8859_1);
            }
            if (line.size() > MAX_HEADER_BYTES) {
                throw new IOException("response line longer than " + MAX_HEADER_BYTES + " bytes");
            }
            line.write(b);
        }
    }

    private static byte[] readChunked(InputStream in, Socket socket, long deadline) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String size = readLine(in, socket, deadline);
            int semicolon = size.indexOf(';');
            int n = Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
            if (n == 0) {
                for (String trailer = readLine(in, socket, deadline); !trailer.isEmpty();
                     trailer = readLine(in, socket, deadline)) {
                    // trailers are ignored
                }
                return body.toByteArray();
            }
            body.write(readExactly(in, n, socket, deadline));
            String end = readLine(in, socket, deadline);
            if (!end.isEmpty()) {
                throw new IOException("malformed chunked body: a chunk of " + n + " bytes is followed by '" + end + "'");
            }
        }
    }

    private static byte[] readExactly(InputStream in, int n, Socket socket, long deadline) throws IOException {
        byte[] out = new byte[n];
        int off = 0;
        while (off < n) {
            remaining(socket, deadline);
            int r = in.read(out, off, n - off);
            if (r < 0) {
                throw new EOFException("connection closed after " + off + " of " + n + " body bytes");
            }
            off += r;
        }
        return out;
    }

    private static byte[] readToEnd(InputStream in, Socket socket, long deadline) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        while (true) {
            remaining(socket, deadline);
            int r = in.read(buf);
            if (r < 0) {
                return body.toByteArray();
            }
            body.write(buf, 0, r);
        }
    }

    private static int read(InputStream in, Socket socket, long deadline) throws IOException {
        remaining(socket, deadline);
        return in.read();
    }

    /** Bounds the next blocking read by what is left of the whole response's deadline. */
    private static void remaining(Socket socket, long deadline) throws IOException {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
            throw new SocketTimeoutException("response deadline passed");
        }
        socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, left)));
    }
}
