package io.tinyfit.targets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One reading of sizes for every option: plain bytes, IEC, SI, and the bare binary letters of earlier versions. */
class ByteSizeTest {
    @Test
    void plainBytesAndTheByteUnit() {
        assertThat(ByteSize.parse("65536")).isEqualTo(65_536);
        assertThat(ByteSize.parse("65536B")).isEqualTo(65_536);
        assertThat(ByteSize.parse(" 512 b ")).isEqualTo(512);
    }

    @Test
    void iecUnitsAreBinary() {
        assertThat(ByteSize.parse("64KiB")).isEqualTo(65_536);
        assertThat(ByteSize.parse("1MiB")).isEqualTo(1_048_576);
        assertThat(ByteSize.parse("1.5MiB")).isEqualTo(1_572_864);
        assertThat(ByteSize.parse("2gib")).isEqualTo(2L << 30);
    }

    @Test
    void siUnitsAreDecimalWhateverTheirCase() {
        assertThat(ByteSize.parse("64kB")).isEqualTo(64_000);
        assertThat(ByteSize.parse("64KB")).isEqualTo(64_000);
        assertThat(ByteSize.parse("1MB")).isEqualTo(1_000_000);
        assertThat(ByteSize.parse("2.5GB")).isEqualTo(2_500_000_000L);
    }

    @Test
    void bareLettersStayBinaryAsInEarlierVersions() {
        assertThat(ByteSize.parse("64K")).isEqualTo(65_536);
        assertThat(ByteSize.parse("16M")).isEqualTo(16L << 20);
        assertThat(ByteSize.parse("2G")).isEqualTo(2L << 30);
    }

    @Test
    void refusalsQuoteTheText() {
        assertThatThrownBy(() -> ByteSize.parse("lots")).hasMessageContaining("'lots' is not a byte count");
        assertThatThrownBy(() -> ByteSize.parse("-5")).hasMessageContaining("'-5' is not a byte count");
        assertThatThrownBy(() -> ByteSize.parse("64KX")).hasMessageContaining("unknown unit 'KX'");
        assertThatThrownBy(() -> ByteSize.parse("1.5")).hasMessageContaining("not a whole number of bytes");
        assertThatThrownBy(() -> ByteSize.parse("0.1KiB")).hasMessageContaining("not a whole number of bytes");
        assertThatThrownBy(() -> ByteSize.parse("99999999999GiB")).hasMessageContaining("too large");
        assertThatThrownBy(() -> ByteSize.parse("")).hasMessageContaining("is not a byte count");
    }

    @Test
    void formatsInTheLargestExactUnit() {
        assertThat(ByteSize.format(256 * 1024)).isEqualTo("256 KiB");
        assertThat(ByteSize.format(1 << 20)).isEqualTo("1 MiB");
        assertThat(ByteSize.format(13_824 * 1024)).isEqualTo("13.5 MiB");
        assertThat(ByteSize.format(1L << 30)).isEqualTo("1 GiB");
        assertThat(ByteSize.format(272_760)).isEqualTo("272,760 B");
        assertThat(ByteSize.format(0)).isEqualTo("0 B");
    }
}
