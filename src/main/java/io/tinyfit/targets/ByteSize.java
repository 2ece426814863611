package io.tinyfit.targets;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Byte sizes as people write them, one parser for every option and for the board catalogue: plain bytes
 * ({@code 65536}, {@code 65536B}), IEC binary units ({@code 64KiB}, {@code 1.5MiB}, {@code 2GiB}), SI decimal units
 * ({@code 64kB} = 64,000, {@code 1MB}, {@code 2GB}), and the bare letters {@code K}, {@code M}, {@code G}, which are
 * binary as in {@code java -Xmx} and in earlier tinyfit versions. Units are case-insensitive, so {@code 64KB} is the
 * SI 64,000 bytes: a datasheet's "256 KB" of SRAM is 256 KiB, and writing it as {@code 256KB} asks for less, never
 * more, than the board has.
 */
public final class ByteSize {
    private static final Pattern FORM = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([A-Za-z]*)");
    private static final Map<String, Long> UNITS = Map.ofEntries(
            Map.entry("", 1L), Map.entry("b", 1L),
            Map.entry("k", 1L << 10), Map.entry("m", 1L << 20), Map.entry("g", 1L << 30),
            Map.entry("kib", 1L << 10), Map.entry("mib", 1L << 20), Map.entry("gib", 1L << 30),
            Map.entry("kb", 1_000L), Map.entry("mb", 1_000_000L), Map.entry("gb", 1_000_000_000L));
    private static final String EXAMPLES = "e.g. 65536, 64KiB, 64kB, 1.5MiB, 2G";

    private ByteSize() {}

    /**
     * The number of bytes {@code text} names.
     *
     * @throws IllegalArgumentException with a message quoting the text, when it is not a size, not a whole number of
     *                                  bytes, or beyond a {@code long}
     */
    public static long parse(String text) {
        Matcher m = FORM.matcher(text == null ? "" : text.strip());
        if (!m.matches()) throw new IllegalArgumentException("'" + text + "' is not a byte count (" + EXAMPLES + ")");
        Long unit = UNITS.get(m.group(2).toLowerCase(Locale.ROOT));
        if (unit == null) throw new IllegalArgumentException("'" + text + "' has an unknown unit '" + m.group(2) + "' (" + EXAMPLES + ")");
        BigDecimal bytes = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unit));
        if (bytes.stripTrailingZeros().scale() > 0) throw new IllegalArgumentException("'" + text + "' is not a whole number of bytes");
        if (bytes.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) throw new IllegalArgumentException("'" + text + "' is too large");
        return bytes.longValueExact();
    }

    /** {@code 256 KiB}, {@code 1.5 MiB}, {@code 8 MiB}; sizes that are no multiple of a KiB in plain bytes. */
    public static String format(long bytes) {
        if (bytes != 0 && bytes % (1L << 30) == 0) return bytes / (1L << 30) + " GiB";
        if (bytes >= 1L << 20 && bytes % (1L << 19) == 0) return trim(bytes / (double) (1L << 20)) + " MiB";
        if (bytes != 0 && bytes % 1024 == 0) return bytes / 1024 + " KiB";
        return String.format(Locale.ROOT, "%,d B", bytes);
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
