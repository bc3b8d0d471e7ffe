package dev.tagpurge.completion;

import java.time.Instant;
import java.time.LocalDate;

/**
 * Writes an {@link Instant} as {@link Instant#toString()} does (ISO-8601 in UTC, the fraction in
 * groups of three digits as needed) into a caller's {@code char[]}, without the formatter, builder
 * and string that {@code toString} allocates: a completion carries three instants, and the profile
 * of the benchmark put their formatting among the per-event costs of writing one. Years outside
 * 0000–9999, which {@code toString} writes with a sign or more digits, fall back to it.
 */
final class IsoInstant {

    /** Longest form, {@link Instant#MAX}: {@code +1000000000-12-31T23:59:59.999999999Z}. */
    static final int MAX_LENGTH = 40;

    private static final long SECONDS_PER_DAY = 86_400;
    // 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z
    private static final long FIRST_SECOND = -62_167_219_200L;
    private static final long LAST_SECOND = 253_402_300_799L;

    private IsoInstant() {}

    /**
     * Writes {@code t} into {@code out} from index 0 and returns the number of chars written.
     *
     * @param out at least {@link #MAX_LENGTH} chars
     */
    static int write(Instant t, char[] out) {
        long seconds = t.getEpochSecond();
        if (seconds < FIRST_SECOND || seconds > LAST_SECOND) {
            String s = t.toString();
            s.getChars(0, s.length(), out, 0);
            return s.length();
        }
        LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(seconds, SECONDS_PER_DAY));
        int secondOfDay = (int) Math.floorMod(seconds, SECONDS_PER_DAY);
        digits(out, 0, date.getYear(), 4);
        out[4] = '-';
        digits(out, 5, date.getMonthValue(), 2);
        out[7] = '-';
        digits(out, 8, date.getDayOfMonth(), 2);
        out[10] = 'T';
        digits(out, 11, secondOfDay / 3600, 2);
        out[13] = ':';
        digits(out, 14, secondOfDay / 60 % 60, 2);
        out[16] = ':';
        digits(out, 17, secondOfDay % 60, 2);
        int n = 19;
        int nanos = t.getNano();
        if (nanos != 0) {
            out[n++] = '.';
            if (nanos % 1_000_000 == 0) {
                digits(out, n, nanos / 1_000_000, 3);
                n += 3;
            } else if (nanos % 1_000 == 0) {
                digits(out, n, nanos / 1_000, 6);
                n += 6;
            } else {
                digits(out, n, nanos, 9);
                n += 9;
            }
        }
        out[n++] = 'Z';
        return n;
    }

    /** {@link #write} as a string (tests). */
    static String toString(Instant t) {
        char[] out = new char[MAX_LENGTH];
        return new String(out, 0, write(t, out));
    }

    private static void digits(char[] out, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            out[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }
}
