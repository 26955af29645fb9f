package io.kvorum.storage;

import io.kvorum.ring.HlcTimestamp;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** Shared jqwik generators for the storage values. */
final class Generators {
    private Generators() {
    }

    static Arbitrary<String> names() {
        return Arbitraries.strings().withCharRange('a', 'z').withChars("-_.é€中").ofMinLength(1).ofMaxLength(12);
    }

    static Arbitrary<HlcTimestamp> stamps() {
        return Combinators.combine(
                        Arbitraries.longs(),
                        Arbitraries.integers().greaterOrEqual(0),
                        names())
                .as(HlcTimestamp::new);
    }

    static Arbitrary<Sibling> siblings() {
        Arbitrary<Sibling> live = Combinators.combine(
                        Arbitraries.bytes().array(byte[].class).ofMaxSize(64),
                        Arbitraries.of("text/plain", "application/json", "application/octet-stream", "", "text/plain; charset=utf-8"),
                        stamps())
                .as(Sibling::of);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, live),
                net.jqwik.api.Tuple.of(1, stamps().map(Sibling::tombstone)));
    }

    static Arbitrary<VersionVector> versionVectors() {
        return Arbitraries.maps(names(), Arbitraries.longs().between(0, Long.MAX_VALUE))
                .ofMaxSize(5)
                .map(VersionVector::of);
    }

    static Arbitrary<CausalRecord> causalRecords() {
        return DvvWorld.worlds()
                .map(DvvWorld::merged)
                .filter(dvv -> !dvv.isEmpty())
                .map(CausalRecord::new);
    }

    static Arbitrary<LwwRecord> lwwRecords() {
        return Combinators.combine(siblings(), versionVectors()).as(LwwRecord::new);
    }

    static Arbitrary<KeyRecord> keyRecords() {
        return Arbitraries.oneOf(causalRecords(), lwwRecords());
    }

    static Arbitrary<StorageKey> storageKeys() {
        return Combinators.combine(
                        Arbitraries.integers().between(0, Integer.MAX_VALUE).edgeCases(e -> e.add(0, 1, 255, 256, 65536)),
                        Arbitraries.strings().withCharRange('a', 'z').withChars("._-é").ofMaxLength(20),
                        Arbitraries.bytes().array(byte[].class).ofMaxSize(40))
                .as(StorageKey::new);
    }

    static Map<String, Long> counters(Object... pairs) {
        java.util.TreeMap<String, Long> map = new java.util.TreeMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], ((Number) pairs[i + 1]).longValue());
        }
        return map;
    }
}
