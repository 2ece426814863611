package io.tinyfit.cli;

import io.tinyfit.model.Limits;
import io.tinyfit.targets.ByteSize;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The one reading of byte sizes on the command line ({@link ByteSize}: 65536, 64KiB, 64kB, 1MB, 2G), for
 * {@code --budget} and {@code --max-arena-bytes}; picocli turns a refusal into one line naming the option, exit 2.
 */
class ByteSizeConverter implements ITypeConverter<Long> {
    @Override public Long convert(String value) {
        long n;
        try {
            n = ByteSize.parse(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
        if (n <= 0 || n > max()) throw new TypeConversionException("'" + value + "' is outside 1 byte to " + String.format("%,d", max()) + " bytes");
        return n;
    }

    long max() { return Long.MAX_VALUE; }

    /** {@code --max-arena-bytes}: at most {@link Limits#MAX}, which keeps every sum of sizes far from overflow. */
    static final class ArenaLimit extends ByteSizeConverter {
        @Override long max() { return Limits.MAX; }
    }
}
