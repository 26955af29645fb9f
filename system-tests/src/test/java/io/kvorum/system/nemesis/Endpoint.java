package io.kvorum.system.nemesis;

/** A node's listening address and port: what partition rules are written for. */
public record Endpoint(String address, int port) implements Comparable<Endpoint> {
    public Endpoint {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("not a port: " + port);
        }
    }

    @Override
    public int compareTo(Endpoint o) {
        int c = address.compareTo(o.address);
        return c != 0 ? c : Integer.compare(port, o.port);
    }

    @Override
    public String toString() {
        return address + ":" + port;
    }
}
