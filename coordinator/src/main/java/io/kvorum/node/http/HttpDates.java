package io.kvorum.node.http;

import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * HTTP dates in the preferred format of RFC 9110 (IMF-fixdate, always GMT and two-digit days):
 * {@code Sun, 06 Nov 1994 08:49:37 GMT}. Written by hand: {@code DateTimeFormatter} cost a
 * measurable share of a node's event-loop time with a date on every read, and its RFC 1123
 * pattern prints days below 10 with one digit, which IMF-fixdate does not allow.
 */
final class HttpDates {
    private static final String[] DAYS = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
            "Nov", "Dec"};

    private HttpDates() {
    }

    /** The IMF-fixdate of the second containing {@code epochMillis}. */
    static String format(long epochMillis) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(Math.floorDiv(epochMillis, 1000), 0, ZoneOffset.UTC);
        StringBuilder b = new StringBuilder(29);
        b.append(DAYS[t.getDayOfWeek().ordinal()]).append(", ");
        two(b, t.getDayOfMonth()).append(' ').append(MONTHS[t.getMonthValue() - 1]).append(' ');
        int year = t.getYear();
        if (year < 1000 || year > 9999) {
            throw new IllegalArgumentException("year outside 1000..9999: " + year);
        }
        b.append(year).append(' ');
        two(b, t.getHour()).append(':');
        two(b, t.getMinute()).append(':');
        return two(b, t.getSecond()).append(" GMT").toString();
    }

    private static StringBuilder two(StringBuilder b, int n) {
        return b.append((char) ('0' + n / 10)).append((char) ('0' + n % 10));
    }
}
