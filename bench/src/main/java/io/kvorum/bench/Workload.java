package io.kvorum.bench;

import java.util.Locale;

/**
 * A YCSB-style operation mix: the proportion of reads, the rest being updates. Core workloads
 * A (50/50), B (95/5), C (read only), and W (write only, not in YCSB's core set).
 */
public record Workload(String name, double readProportion) {

    public Workload {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("workload name must not be blank");
        }
        if (!(readProportion >= 0.0 && readProportion <= 1.0)) {
            throw new IllegalArgumentException("read proportion must be between 0 and 1, got " + readProportion);
        }
    }

    public static Workload named(String name) {
        return switch (name.trim().toUpperCase(Locale.ROOT)) {
            case "A" -> new Workload("A", 0.50);
            case "B" -> new Workload("B", 0.95);
            case "C" -> new Workload("C", 1.00);
            case "W" -> new Workload("W", 0.00);
            default -> throw new IllegalArgumentException(
                    "unknown workload '" + name + "' (A, B, C, W, or give --read-proportion)");
        };
    }

    public static Workload custom(double readProportion) {
        return new Workload("custom", readProportion);
    }

    /** The operation for a uniform draw {@code u} in [0, 1). */
    public Operation operationFor(double u) {
        return u < readProportion ? Operation.READ : Operation.UPDATE;
    }
}
