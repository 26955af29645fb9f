package io.kvorum.bench;

import java.util.random.RandomGenerator;

/**
 * How the run phase picks records. {@code ZIPFIAN} is YCSB's default "zipfian" (the scrambled
 * generator, theta 0.99); {@code ZIPFIAN_PLAIN} is the unscrambled one, hottest keys first.
 */
public enum Distribution {
    UNIFORM, ZIPFIAN, ZIPFIAN_PLAIN;

    /**
     * A factory for this distribution over {@code records}: the expensive part (zeta of the record
     * count) is computed here, once; each driver then asks for its own chooser with its own generator.
     */
    public ChooserFactory factory(long records) {
        return switch (this) {
            case UNIFORM -> random -> KeyChoosers.uniform(records, random);
            case ZIPFIAN -> {
                Zipfian base = Zipfian.ycsbScrambledBase();
                yield random -> KeyChoosers.scrambledZipfian(base, records, random);
            }
            case ZIPFIAN_PLAIN -> {
                Zipfian zipfian = Zipfian.over(records, Zipfian.YCSB_THETA);
                yield random -> KeyChoosers.zipfian(zipfian, random);
            }
        };
    }

    @FunctionalInterface
    public interface ChooserFactory {
        KeyChooser create(RandomGenerator random);
    }
}
