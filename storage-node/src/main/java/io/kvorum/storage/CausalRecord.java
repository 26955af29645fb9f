package io.kvorum.storage;

import java.util.List;
import java.util.Objects;

/** A key in a {@code siblings} bucket: a dotted version vector set with at least one value. */
public record CausalRecord(DvvSet dvv) implements KeyRecord {
    public CausalRecord {
        Objects.requireNonNull(dvv, "dvv");
        if (dvv.isEmpty()) {
            throw new IllegalArgumentException("a causal record holds at least one sibling (a delete is a tombstone)");
        }
    }

    CausalRecord sync(CausalRecord other) {
        DvvSet merged = dvv.sync(other.dvv);
        if (merged.equals(dvv)) {
            return this;
        }
        return merged.equals(other.dvv) ? other : new CausalRecord(merged);
    }

    @Override
    public List<Sibling> siblings() {
        return dvv.values();
    }

    @Override
    public VersionVector context() {
        return dvv.context();
    }
}
