package io.tinyfit.verify;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The streaming lag computation against hand-derived access patterns and a brute-force placement check. */
class LagMeterTest {

    @Test
    void inPlaceWhenEachElementIsReadBeforeItIsWritten() {
        LagMeter m = new LagMeter();
        for (int i = 0; i < 100; i++) {
            m.inputReads.read(i, 1);
            m.outputWrites.write(i, 1);
        }
        assertThat(m.minDelta()).isZero();
    }

    @Test
    void wideningNeedsTheOutputToTrail() {
        // int8 -> float32, element by element: output i occupies bytes 4i..4i+3, input i byte i
        int n = 50;
        LagMeter m = new LagMeter();
        for (int i = 0; i < n; i++) {
            m.inputReads.read(i, 1);
            m.outputWrites.write(4 * i, 4);
        }
        assertThat(m.minDelta()).isEqualTo(3L * (n - 1));
    }

    @Test
    void wholeRowReReadAllowsAlmostNothing() {
        // fully connected, batch 1: every output re-reads the whole input row
        int depth = 32;
        int units = 10;
        LagMeter m = new LagMeter();
        for (int o = 0; o < units; o++) {
            for (int d = 0; d < depth; d++) m.inputReads.read(d, 1);
            m.outputWrites.write(o, 1);
        }
        assertThat(m.minDelta()).isEqualTo(units - 1);
    }

    /**
     * Any stream of element reads and writes: the reported delta is safe (simulating the placement shows every
     * input byte read after it is overwritten was never overwritten) and one byte less is not, unless it is 0.
     */
    @Property(tries = 200)
    void deltaIsExactlyTheSmallestSafePlacement(@ForAll("streams") int[] stream, @ForAll @IntRange(min = 4, max = 40) int size) {
        LagMeter m = new LagMeter();
        for (int k = 0; k + 1 < stream.length; k += 2) {
            int addr = Math.floorMod(stream[k + 1], size);
            if ((stream[k] & 1) == 0) m.inputReads.read(addr, 1);
            else m.outputWrites.write(addr, 1);
        }
        long d = m.minDelta();
        assertThat(safe(stream, size, d)).isTrue();
        if (d > 0) assertThat(safe(stream, size, d - 1)).isFalse();
    }

    /** Replays the stream with output byte w landing on input byte w - delta; false when a read sees a clobbered byte
     *  that lies at or above some write (the "writes trail the reads" criterion). */
    private static boolean safe(int[] stream, int size, long delta) {
        long maxWritten = Long.MIN_VALUE;
        for (int k = 0; k + 1 < stream.length; k += 2) {
            int addr = Math.floorMod(stream[k + 1], size);
            if ((stream[k] & 1) == 0) {
                if (maxWritten != Long.MIN_VALUE && maxWritten - delta >= addr) return false;
            } else {
                maxWritten = Math.max(maxWritten, addr);
            }
        }
        return true;
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<int[]> streams() {
        return net.jqwik.api.Arbitraries.integers().between(0, 1000).array(int[].class).ofMinSize(2).ofMaxSize(60);
    }
}
