package io.kvorum.bench;

/** What one benchmark operation does. {@code INSERT} is the load phase's write of a new record. */
public enum Operation {
    READ, UPDATE, INSERT;

    /** The lower-case name used in tables, progress lines and JSON. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
