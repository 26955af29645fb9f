package io.kvorum.bench;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ZipfianTest {

    @Test
    void zetaIsTheGeneralisedHarmonicNumber() {
        assertEquals(1 + 1 / Math.pow(2, 0.99) + 1 / Math.pow(3, 0.99), Zipfian.zeta(3, 0.99), 1e-12);
    }

    @Test
    void ranksStayInRangeAtTheEdgesOfTheDraw() {
        Zipfian z = Zipfian.over(1000, 0.99);
        assertEquals(0, z.rank(0.0));
        assertTrue(z.rank(Math.nextDown(1.0)) < 1000);
        Zipfian one = Zipfian.over(1, 0.99);
        assertEquals(0, one.rank(0.9));
    }

    @Test
    void hottestRanksAppearAsOftenAsTheirProbability() {
        Zipfian z = Zipfian.over(10_000, 0.99);
        SplittableRandom random = new SplittableRandom(1);
        int n = 400_000;
        int[] counts = new int[3];
        for (int i = 0; i < n; i++) {
            long r = z.rank(random.nextDouble());
            if (r < 3) {
                counts[(int) r]++;
            }
        }
        // ranks 0 and 1 are exact in Gray et al.'s method; the tail is an approximation
        assertEquals(z.probability(0), counts[0] / (double) n, 0.05 * z.probability(0));
        assertEquals(z.probability(1), counts[1] / (double) n, 0.05 * z.probability(1));
        assertEquals(z.probability(2), counts[2] / (double) n, 0.25 * z.probability(2));
        assertTrue(counts[0] > counts[1] && counts[1] > counts[2]);
    }

    @Test
    void ycsbScrambledBaseUsesYcsbPrecomputedZeta() {
        Zipfian base = Zipfian.ycsbScrambledBase();
        assertEquals(10_000_000_000L, base.items());
        assertEquals(1 / 26.46902820178302, base.probability(0), 1e-15);
    }
}
