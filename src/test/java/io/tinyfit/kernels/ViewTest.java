package io.tinyfit.kernels;

import io.tinyfit.model.ConstData;
import io.tinyfit.model.DType;
import io.tinyfit.model.Region;
import io.tinyfit.model.Shape;
import io.tinyfit.model.Tensor;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Views over regions: global coordinates map to storage by {@code sum((x - lo) * stride)}, as the C tf_view does. */
class ViewTest {

    private static Tensor tensor(DType t, int[] shape, byte[] constant) {
        return new Tensor(0, "x", t, Shape.of(shape), null, null, 0, constant == null ? null : ConstData.copyOf(constant), false, true);
    }

    @Property(tries = 200)
    void globalCoordinatesMapToTheTileStorage(@ForAll @IntRange(min = 1, max = 4) int rank, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] shape = new int[rank], lo = new int[rank], hi = new int[rank], strides = new int[rank];
        for (int d = 0; d < rank; d++) {
            shape[d] = 1 + r.nextInt(5);
            lo[d] = r.nextInt(shape[d]);
            hi[d] = lo[d] + 1 + r.nextInt(shape[d] - lo[d]);
        }
        int step = 1;
        for (int d = rank - 1; d >= 0; d--) {
            strides[d] = step;
            step *= hi[d] - lo[d] + r.nextInt(3); // padded rows: gaps between them
        }
        Region region = Region.of(lo, hi);
        byte[] mem = new byte[step * 2 + 6];
        Tensor t = tensor(DType.INT16, shape, null);
        ArenaView v = new ArenaView(mem, 6, t, region, strides);
        // Each element written through its global coordinate lands at base + 2 * sum((x - lo) * stride).
        RegionBench.forEach(region, c -> {
            int expected = 0;
            for (int d = 0; d < rank; d++) expected += (c[d] - lo[d]) * strides[d];
            assertThat(v.at(c)).isEqualTo(expected);
            if (rank == 4) assertThat(v.at(c[0], c[1], c[2], c[3])).isEqualTo(expected);
            v.setI16(v.at(c), 1000 + expected);
        });
        RegionBench.forEach(region, c -> assertThat((short) ((mem[6 + 2 * v.at(c)] & 0xFF) | (mem[7 + 2 * v.at(c)] << 8))).isEqualTo((short) (1000 + v.at(c))));
        assertThat(v.elements()).isEqualTo((int) region.elements());
        assertThat(v.dims()).containsExactly(shape);
        assertThat(v.isWhole()).isEqualTo(region.isWhole(t.shape()));
    }

    @Example
    void aWholeDenseViewIsTheFlatRowMajorTensor() {
        Tensor t = tensor(DType.INT8, new int[] {2, 3, 4}, null);
        ArenaView v = new ArenaView(new byte[24], 0, t);
        assertThat(v.isDense()).isTrue();
        assertThat(v.at(new int[] {1, 2, 3})).isEqualTo(23);
        assertThat(v.at(0, 1, 2, 3)).isEqualTo(23); // extended to 4-D with a leading 1
        assertThat(v.stride4(0)).isZero();
        assertThat(v.lo4(0)).isZero();
        assertThat(v.hi4(0)).isEqualTo(1);
    }

    @Example
    void aConstantRegionReadsInPlace() {
        byte[] data = new byte[24];
        for (int i = 0; i < data.length; i++) data[i] = (byte) i;
        Tensor t = tensor(DType.INT8, new int[] {2, 3, 4}, data);
        ConstView v = new ConstView(t, Region.of(new int[] {1, 1, 2}, new int[] {2, 3, 4}));
        assertThat(v.i8(v.at(new int[] {1, 1, 2}))).isEqualTo(18);
        assertThat(v.i8(v.at(new int[] {1, 2, 3}))).isEqualTo(23);
        assertThat(v.toByteArray()).containsExactly(18, 19, 22, 23);
        assertThat(v.isContiguous()).isFalse();
    }

    @Example
    void aRegionOutsideTheTensorOrTheArrayIsRefused() {
        Tensor t = tensor(DType.INT8, new int[] {4, 4}, null);
        assertThatThrownBy(() -> new ArenaView(new byte[16], 0, t, Region.of(new int[] {2, 0}, new int[] {5, 4})))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ArenaView(new byte[7], 0, t, Region.of(new int[] {2, 0}, new int[] {4, 4})))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new ArenaView(new byte[8], 0, t, Region.of(new int[] {2, 0}, new int[] {4, 4})).storageElements()).isEqualTo(8);
    }

    @Example
    void emptyRegionsAreOneCanonicalRegion() {
        assertThat(Region.of(new int[] {3, 1}, new int[] {3, 5})).isEqualTo(Region.empty(2));
        assertThat(Region.of(new int[] {0, 0}, new int[] {2, 2}).intersect(Region.of(new int[] {2, 0}, new int[] {4, 2}))).isEqualTo(Region.empty(2));
        assertThat(Region.empty(2).union(Region.of(new int[] {1, 1}, new int[] {2, 3}))).isEqualTo(Region.of(new int[] {1, 1}, new int[] {2, 3}));
    }
}
