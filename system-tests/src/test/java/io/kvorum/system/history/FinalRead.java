package io.kvorum.system.history;

import java.util.Objects;

/** What a final read found for a key: a value, or nothing. */
public record FinalRead(boolean present, String value) {
    public FinalRead {
        if (present) {
            Objects.requireNonNull(value, "a present read has a value");
        } else if (value != null) {
            throw new IllegalArgumentException("an absent read has no value");
        }
    }

    public static FinalRead present(String value) {
        return new FinalRead(true, value);
    }

    public static FinalRead absent() {
        return new FinalRead(false, null);
    }

    boolean holds(String v) {
        return present && value.equals(v);
    }
}
