package io.kvorum.node.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class HttpDatesTest {
    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ROOT).withZone(ZoneOffset.UTC);

    @Test
    void theExampleOfTheHttpSpecification() {
        assertEquals("Sun, 06 Nov 1994 08:49:37 GMT", HttpDates.format(784111777_000L));
        assertEquals("Sun, 06 Nov 1994 08:49:37 GMT", HttpDates.format(784111777_999L));
    }

    @Test
    void daysBelowTenHaveTwoDigits() {
        assertEquals("Thu, 01 Jan 1970 00:00:00 GMT", HttpDates.format(0));
    }

    @Property
    void agreesWithTheFormatterPatternForEveryInstantOfFourCenturies(
            @ForAll @LongRange(min = -2_208_988_800_000L, max = 32_503_680_000_000L) long millis) {
        assertEquals(IMF_FIXDATE.format(Instant.ofEpochMilli(millis)), HttpDates.format(millis));
    }
}
