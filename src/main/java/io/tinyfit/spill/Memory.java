package io.tinyfit.spill;

import io.tinyfit.targets.ByteSize;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A memory a plan may place buffers in besides the SRAM arena (external PSRAM, SDRAM, flash): its size, the rate it
 * moves bytes at and the time an access takes before the first byte. {@code mapped} memories sit in the address
 * space, so a kernel may read a spilled tensor where it lies; unmapped ones are reached only by copies.
 *
 * <p>One written form everywhere ({@code --memory}, the board catalogue): {@code name:size[:bandwidth[:latency[:mapped|unmapped]]]},
 * e.g. {@code psram:8MiB:20MB/s:1us}. A transfer of n bytes costs {@code latency + n / bandwidth}: one access per copy
 * (a DMA burst), which is how the "latency per access" is counted.
 *
 * @param bytesPerSecond read and write bandwidth
 * @param latencyNanos   time of one access before its first byte
 */
public record Memory(String name, long bytes, double bytesPerSecond, double latencyNanos, boolean mapped) {
    /** Bandwidth when none is given: a quad-SPI PSRAM at 80 MHz moves about 20 MB/s in practice (ESP32-S3, RP2350 boards). */
    public static final double DEFAULT_BANDWIDTH = 20e6;
    /** Latency when none is given: one microsecond, a PSRAM command and address phase. */
    public static final double DEFAULT_LATENCY_NS = 1000;
    /** The memory the regression table and the acceptance figures assume: an 8 MiB quad-SPI PSRAM reached by copies. */
    public static final String DEFAULT = "psram:8MiB:20MB/s:1us";

    private static final Pattern RATE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([A-Za-z]*)/s");
    private static final Pattern TIME = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ns|us|µs|ms|s)?");
    private static final Map<String, Double> RATE_UNITS = Map.of("b", 1.0, "kb", 1e3, "mb", 1e6, "gb", 1e9,
            "kib", 1024.0, "mib", 1024.0 * 1024, "gib", 1024.0 * 1024 * 1024);
    private static final Map<String, Double> TIME_UNITS = Map.of("ns", 1.0, "us", 1e3, "µs", 1e3, "ms", 1e6, "s", 1e9);

    public Memory {
        if (name == null || !name.matches("[A-Za-z][A-Za-z0-9_]*")) throw new IllegalArgumentException("memory name '" + name + "' must be a C identifier");
        if (bytes < 0) throw new IllegalArgumentException("memory " + name + " of " + bytes + " bytes");
        if (!(bytesPerSecond > 0) || Double.isInfinite(bytesPerSecond)) throw new IllegalArgumentException("memory " + name + ": bandwidth must be a positive rate");
        if (!(latencyNanos >= 0) || Double.isInfinite(latencyNanos)) throw new IllegalArgumentException("memory " + name + ": latency must be >= 0");
    }

    /** Parses {@code name:size[:bandwidth[:latency[:mapped|unmapped]]]}; a bad field is a one-line error quoting it. */
    public static Memory parse(String text) {
        String[] f = text.strip().split(":", -1);
        if (f.length < 2 || f.length > 5) {
            throw new IllegalArgumentException("'" + text + "' is not a memory (name:size[:bandwidth[:latency[:mapped|unmapped]]], e.g. " + DEFAULT + ")");
        }
        long size = ByteSize.parse(f[1]);
        double rate = f.length > 2 && !f[2].isBlank() ? rate(f[2], text) : DEFAULT_BANDWIDTH;
        double latency = f.length > 3 && !f[3].isBlank() ? time(f[3], text) : DEFAULT_LATENCY_NS;
        boolean mapped = false;
        if (f.length > 4) {
            switch (f[4].strip().toLowerCase(Locale.ROOT)) {
                case "mapped" -> mapped = true;
                case "unmapped", "" -> mapped = false;
                default -> throw new IllegalArgumentException("'" + text + "': '" + f[4] + "' is neither mapped nor unmapped");
            }
        }
        try {
            return new Memory(f[0].strip(), size, rate, latency, mapped);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "': " + e.getMessage(), e);
        }
    }

    /** Nanoseconds one transfer of {@code n} bytes takes (one access, then the bytes at the bandwidth). */
    public double transferNanos(long n) { return n == 0 ? 0 : latencyNanos + n * 1e9 / bytesPerSecond; }

    /** The written form, which {@link #parse} reads back. */
    public String spec() {
        return name + ":" + sizeText(bytes) + ":" + rateText(bytesPerSecond) + ":" + timeText(latencyNanos) + (mapped ? ":mapped" : ":unmapped");
    }

    @Override public String toString() { return spec(); }

    private static double rate(String s, String text) {
        Matcher m = RATE.matcher(s.strip());
        Double unit = m.matches() ? RATE_UNITS.get(m.group(2).toLowerCase(Locale.ROOT).replace("bps", "b")) : null;
        if (unit == null) throw new IllegalArgumentException("'" + text + "': '" + s + "' is not a bandwidth (e.g. 20MB/s, 80MiB/s)");
        return new BigDecimal(m.group(1)).doubleValue() * unit;
    }

    private static double time(String s, String text) {
        Matcher m = TIME.matcher(s.strip());
        if (!m.matches()) throw new IllegalArgumentException("'" + text + "': '" + s + "' is not a latency (e.g. 1us, 100ns, 0)");
        return new BigDecimal(m.group(1)).doubleValue() * (m.group(2) == null ? 1.0 : TIME_UNITS.get(m.group(2)));
    }

    private static String sizeText(long b) {
        if (b != 0 && b % (1L << 20) == 0) return b / (1L << 20) + "MiB";
        if (b != 0 && b % 1024 == 0) return b / 1024 + "KiB";
        return Long.toString(b);
    }

    private static String rateText(double r) {
        return r % 1e6 == 0 ? (long) (r / 1e6) + "MB/s" : r % 1e3 == 0 ? (long) (r / 1e3) + "kB/s" : (long) r + "B/s";
    }

    private static String timeText(double ns) {
        return ns % 1e3 == 0 ? (long) (ns / 1e3) + "us" : (long) ns + "ns";
    }
}
