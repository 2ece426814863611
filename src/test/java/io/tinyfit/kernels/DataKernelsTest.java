package io.tinyfit.kernels;

import io.tinyfit.model.ConstData;
import io.tinyfit.model.DType;
import io.tinyfit.model.Graph;
import io.tinyfit.model.ModelFormatException;
import io.tinyfit.model.Op;
import io.tinyfit.model.Options;
import io.tinyfit.model.Quantization;
import io.tinyfit.model.Shape;
import io.tinyfit.model.Tensor;
import io.tinyfit.testing.LittleEndian;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import static io.tinyfit.testing.TestOptions.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Corners of the data-movement kernels that the shared opsuite does not reach. */
class DataKernelsTest {

    /** A one-operator harness: activation tensors live in one arena, constants in ConstViews. */
    private static final class Harness implements OpContext {
        final byte[] arena = new byte[4096];
        final List<View> views = new ArrayList<>();
        final List<Integer> inputs = new ArrayList<>();
        final List<Integer> outputs = new ArrayList<>();
        int next = 0;
        Op op;
        Graph graph;

        int arenaTensor(DType t, Quantization q, int... shape) {
            Tensor x = new Tensor(views.size(), "t" + views.size(), t, Shape.of(shape), null, q, 0, null, false, true);
            views.add(new ArenaView(arena, next, x));
            next += (int) ((x.bytes() + 15) / 16 * 16);
            return views.size() - 1;
        }

        int arenaTensor(DType t, int... shape) { return arenaTensor(t, null, shape); }

        int constant(DType t, int[] shape, byte[] bytes) {
            Tensor x = new Tensor(views.size(), "c" + views.size(), t, Shape.of(shape), null, null, 1, ConstData.copyOf(bytes), false, true);
            views.add(new ConstView(x));
            return views.size() - 1;
        }

        int ints(int... v) { return constant(DType.INT32, new int[] {v.length}, LittleEndian.i32(v)); }

        Harness in(int... ids) { for (int i : ids) inputs.add(i); return this; }

        Harness out(int... ids) { for (int i : ids) outputs.add(i); return this; }

        void run(String kind, Options options) {
            op = new Op(0, kind, inputs, outputs, options);
            graph = SoloContext.graphOf("harness", op, views.stream().map(View::tensor).toList());
            KernelRegistry.find(kind).orElseThrow().eval(this);
        }

        View view(int id) { return views.get(id); }

        @Override public Graph graph() { return graph; }
        @Override public Op op() { return op; }
        @Override public int opIndex() { return 7; }
        @Override public View input(int i) { int id = op.input(i); return id < 0 ? null : views.get(id); }
        @Override public View output(int i) { return views.get(op.output(i)); }
        @Override public View scratch(int i) { throw new UnsupportedOperationException(); }
    }

    private static void fillSequence(View v) { for (int i = 0; i < v.elements(); i++) v.setI8(i, i); }

    private static int[] int8s(View v) { return IntStream.range(0, v.elements()).map(v::i8).toArray(); }

    private static int[] int16s(View v) { return IntStream.range(0, v.elements()).map(v::i16).toArray(); }

    @Test
    void uint8ResizeBilinearFollowsTfliteReferenceFloatPathWithTruncation() {
        // 1x2x2x1 -> 1x3x3x1, no corner alignment: scale 2/3, input_y = y * 2/3 (TFLite reference_ops::ResizeBilinear<uint8_t>)
        Harness h = new Harness();
        int in = h.arenaTensor(DType.UINT8, 1, 2, 2, 1);
        int size = h.ints(3, 3);
        int out = h.arenaTensor(DType.UINT8, 1, 3, 3, 1);
        int[] px = {10, 200, 35, 255};
        for (int i = 0; i < 4; i++) h.view(in).setU8(i, px[i]);
        h.in(in, size).out(out).run("RESIZE_BILINEAR", options("ResizeBilinearOptions", "alignCorners", false, "halfPixelCenters", false));
        int[] got = IntStream.range(0, 9).map(h.view(out)::u8).toArray();
        int[] want = new int[9];
        float scale = 2f / 3;
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 3; x++) {
                float iy = y * scale, ix = x * scale;
                int y0 = (int) Math.floor(iy), y1 = Math.min((int) Math.ceil(iy), 1);
                int x0 = (int) Math.floor(ix), x1 = Math.min((int) Math.ceil(ix), 1);
                float dy = iy - y0, dx = ix - x0;
                float v = px[y0 * 2 + x0] * (1 - dy) * (1 - dx) + px[y1 * 2 + x0] * dy * (1 - dx)
                        + px[y0 * 2 + x1] * (1 - dy) * dx + px[y1 * 2 + x1] * dy * dx;
                want[y * 3 + x] = (int) v;
            }
        }
        assertThat(got).containsExactly(want);
        // the bytes above 127 are read unsigned: 200 and 255 appear as such, and the corner pixels copy through
        assertThat(got[0]).isEqualTo(10);
        assertThat(want[1]).isEqualTo((int) (10 * (1 - 2f / 3) + 200 * (2f / 3)));
    }

    @Test
    void reshapeSkipsTheCopyWhenInputAndOutputShareTheirBytes() {
        byte[] memory = new byte[64];
        Tensor in = new Tensor(0, "in", DType.INT8, Shape.of(2, 6), null, null, 0, null, false, true);
        Tensor out = new Tensor(1, "out", DType.INT8, Shape.of(3, 4), null, null, 0, null, false, true);
        // A subclass of ArenaView copies byte by byte through setRawByte, so counting those counts every write.
        int[] writes = new int[1];
        class CountingView extends ArenaView {
            CountingView(Tensor t, int base) { super(memory, base, t); }
            @Override public void setRawByte(int b, int v) { writes[0]++; super.setRawByte(b, v); }
        }
        View inView = new CountingView(in, 16);
        for (int i = 0; i < 12; i++) inView.setI8(i, 40 + i);
        Op op = new Op(0, "RESHAPE", List.of(0), List.of(1), Options.NONE);
        Kernel reshape = KernelRegistry.find("RESHAPE").orElseThrow();

        writes[0] = 0;
        reshape.eval(context(op, inView, new CountingView(out, 16)));
        assertThat(writes[0]).isZero();

        CountingView moved = new CountingView(out, 32);
        reshape.eval(context(op, inView, moved));
        assertThat(writes[0]).isEqualTo(12);
        assertThat(int8s(moved)).containsExactly(IntStream.range(40, 52).toArray());
    }

    private static OpContext context(Op op, View in, View out) {
        Graph g = SoloContext.graphOf("reshape", op, List.of(in.tensor(), out.tensor()));
        return new OpContext() {
            @Override public Graph graph() { return g; }
            @Override public Op op() { return op; }
            @Override public int opIndex() { return 0; }
            @Override public View input(int i) { return in; }
            @Override public View output(int i) { return out; }
            @Override public View scratch(int i) { throw new UnsupportedOperationException(); }
        };
    }

    @Test
    void stridedSliceReversesWithNegativeStridesAndBeginMask() {
        Harness h = new Harness();
        int in = h.arenaTensor(DType.INT8, 4, 4);
        int out = h.arenaTensor(DType.INT8, 3, 3);
        fillSequence(h.view(in));
        h.in(in, h.ints(3, 3), h.ints(0, 0), h.ints(-1, -1)).out(out)
                .run("STRIDED_SLICE", options("StridedSliceOptions", "beginMask", 1, "endMask", 0, "shrinkAxisMask", 0));
        assertThat(int8s(h.view(out))).containsExactly(15, 14, 13, 11, 10, 9, 7, 6, 5);
    }

    @Test
    void stridedSliceShrinksANegativelyIndexedAxisAndHonoursEndMaskBackwards() {
        Harness h = new Harness();
        int in = h.arenaTensor(DType.INT16, 2, 3, 4);
        for (int i = 0; i < 24; i++) h.view(in).setI16(i, 1000 + i);
        int out = h.arenaTensor(DType.INT16, 2, 2);
        h.in(in, h.ints(0, -1, 0), h.ints(2, 0, 4), h.ints(1, 1, 2)).out(out)
                .run("STRIDED_SLICE", options("StridedSliceOptions", "shrinkAxisMask", 2));
        assertThat(int16s(h.view(out))).containsExactly(1008, 1010, 1020, 1022);

        Harness g = new Harness();
        int v = g.arenaTensor(DType.INT8, 6);
        fillSequence(g.view(v));
        int r = g.arenaTensor(DType.INT8, 3);
        g.in(v, g.ints(4), g.ints(0), g.ints(-2)).out(r).run("STRIDED_SLICE", options("StridedSliceOptions", "endMask", 1));
        assertThat(int8s(g.view(r))).containsExactly(4, 2, 0);
    }

    @Test
    void stridedSliceRejectsAnOutputShapeThatIgnoringOffsetDoesNotProduce() {
        Harness h = new Harness();
        int in = h.arenaTensor(DType.INT8, 6);
        int out = h.arenaTensor(DType.INT8, 2);
        // With offset, end = begin + 2 = 3 gives 2 elements; TFLM ignores offset, so it sees [1, 2) and 1 element.
        h.in(in, h.ints(1), h.ints(2), h.ints(1)).out(out);
        assertThatThrownBy(() -> h.run("STRIDED_SLICE", options("StridedSliceOptions", "offset", true)))
                .isInstanceOf(ModelFormatException.class).hasMessageContaining("STRIDED_SLICE").hasMessageContaining("differs from the slice's");
    }

    @Test
    void transposeOfSixDimsMatchesTheIndexDefinition() {
        int[] inDims = {2, 1, 3, 2, 2, 3};
        int[] perm = {5, 3, 0, 4, 1, 2};
        int[] outDims = new int[6];
        for (int i = 0; i < 6; i++) outDims[i] = inDims[perm[i]];
        Harness h = new Harness();
        int in = h.arenaTensor(DType.FLOAT32, inDims);
        int out = h.arenaTensor(DType.FLOAT32, outDims);
        SplittableRandom rnd = new SplittableRandom(3);
        for (int i = 0; i < h.view(in).elements(); i++) h.view(in).setF32(i, (float) rnd.nextDouble());
        h.in(in, h.ints(perm)).out(out).run("TRANSPOSE", Options.NONE);

        int[] inStride = new int[6];
        inStride[5] = 1;
        for (int i = 4; i >= 0; i--) inStride[i] = inStride[i + 1] * inDims[i + 1];
        int n = h.view(out).elements();
        for (int o = 0; o < n; o++) {
            int rem = o;
            int src = 0;
            for (int d = 5; d >= 0; d--) {
                src += (rem % outDims[d]) * inStride[perm[d]];
                rem /= outDims[d];
            }
            assertThat(h.view(out).f32(o)).isEqualTo(h.view(in).f32(src));
        }
    }

    @Test
    void transposeRejectsInt32LikeTflm() {
        Harness h = new Harness();
        int in = h.arenaTensor(DType.INT32, 2, 3);
        int out = h.arenaTensor(DType.INT32, 3, 2);
        h.in(in, h.ints(1, 0)).out(out);
        assertThatThrownBy(() -> h.run("TRANSPOSE", Options.NONE))
                .isInstanceOf(UnsupportedOpVariantException.class).hasMessageContaining("TRANSPOSE").hasMessageContaining("int32");
    }

    @Test
    void gatherStopsWithAnErrorNamingTheOperatorOnAnOutOfRangePosition() {
        Harness h = new Harness();
        int params = h.arenaTensor(DType.INT8, 4, 2);
        fillSequence(h.view(params));
        int out = h.arenaTensor(DType.INT8, 3, 2);
        h.in(params, h.ints(1, 4, 0)).out(out);
        assertThatThrownBy(() -> h.run("GATHER", options("GatherOptions", "axis", 0, "batchDims", 0)))
                .isInstanceOf(UnsupportedOpVariantException.class).hasMessageContaining("GATHER").hasMessageContaining("position 4");
    }

    @Test
    void gatherWithBatchDimsAndInt64Positions() {
        Harness h = new Harness();
        int params = h.arenaTensor(DType.INT8, 2, 3, 2);
        fillSequence(h.view(params));
        ByteBuffer b = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
        for (long p : new long[] {2, 0, 1, 1}) b.putLong(p);
        int pos = h.constant(DType.INT64, new int[] {2, 2}, b.array());
        int out = h.arenaTensor(DType.INT8, 2, 2, 2);
        h.in(params, pos).out(out).run("GATHER", options("GatherOptions", "axis", 1, "batchDims", 1));
        assertThat(int8s(h.view(out))).containsExactly(4, 5, 0, 1, 8, 9, 8, 9);
    }

    @Test
    void padWritesZeroForInt16AndTheConstantForPadV2() {
        Harness h = new Harness();
        int in = h.arenaTensor(DType.INT16, Quantization.perTensor(0.5f, 3), 1, 2);
        h.view(in).setI16(0, -7);
        h.view(in).setI16(1, 9);
        int out = h.arenaTensor(DType.INT16, Quantization.perTensor(0.5f, 3), 2, 3);
        h.in(in, h.ints(1, 0, 0, 1)).out(out).run("PAD", Options.NONE);
        assertThat(int16s(h.view(out))).containsExactly(0, 0, 0, -7, 9, 0);

        Harness g = new Harness();
        int fin = g.arenaTensor(DType.FLOAT32, 2);
        g.view(fin).setF32(0, 1.5f);
        g.view(fin).setF32(1, -2f);
        int value = g.constant(DType.FLOAT32, new int[0], ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(0.25f).array());
        int fout = g.arenaTensor(DType.FLOAT32, 5);
        g.in(fin, g.ints(2, 1), value).out(fout).run("PADV2", Options.NONE);
        View o = g.view(fout);
        assertThat(new float[] {o.f32(0), o.f32(1), o.f32(2), o.f32(3), o.f32(4)}).containsExactly(0.25f, 0.25f, 1.5f, -2f, 0.25f);
    }

    @Test
    void concatenationCopiesInt8BytesWithoutRequantising() {
        Harness h = new Harness();
        int a = h.arenaTensor(DType.INT8, Quantization.perTensor(0.1f, 5), 2, 1);
        int b = h.arenaTensor(DType.INT8, Quantization.perTensor(0.3f, -4), 2, 2);
        int out = h.arenaTensor(DType.INT8, Quantization.perTensor(0.2f, 0), 2, 3);
        h.view(a).setI8(0, 1);
        h.view(a).setI8(1, 2);
        for (int i = 0; i < 4; i++) h.view(b).setI8(i, -10 - i);
        h.in(a, b).out(out).run("CONCATENATION", options("ConcatenationOptions", "axis", -1, "fusedActivationFunction", (byte) 0));
        assertThat(int8s(h.view(out))).containsExactly(1, -10, -11, 2, -12, -13);
    }

    @Test
    void sliceWithInt64BeginAndSizeMinusOne() {
        Harness h = new Harness();
        int in = h.arenaTensor(DType.INT8, 3, 4);
        fillSequence(h.view(in));
        ByteBuffer begin = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1).putLong(1);
        ByteBuffer size = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(-1).putLong(2);
        int out = h.arenaTensor(DType.INT8, 2, 2);
        h.in(in, h.constant(DType.INT64, new int[] {2}, begin.array()), h.constant(DType.INT64, new int[] {2}, size.array())).out(out)
                .run("SLICE", Options.NONE);
        assertThat(int8s(h.view(out))).containsExactly(5, 6, 9, 10);
    }

    @Test
    void splitTakesItsAxisFromInputZeroAndSplitVFromInputTwo() {
        Harness h = new Harness();
        int in = h.arenaTensor(DType.INT8, 2, 4);
        fillSequence(h.view(in));
        int o0 = h.arenaTensor(DType.INT8, 2, 2);
        int o1 = h.arenaTensor(DType.INT8, 2, 2);
        h.in(h.ints(-1), in).out(o0, o1).run("SPLIT", options("SplitOptions", "numSplits", 2));
        assertThat(int8s(h.view(o0))).containsExactly(0, 1, 4, 5);
        assertThat(int8s(h.view(o1))).containsExactly(2, 3, 6, 7);

        Harness g = new Harness();
        int v = g.arenaTensor(DType.INT8, 2, 4);
        fillSequence(g.view(v));
        int p0 = g.arenaTensor(DType.INT8, 2, 1);
        int p1 = g.arenaTensor(DType.INT8, 2, 3);
        g.in(v, g.ints(1, -1), g.ints(1)).out(p0, p1).run("SPLIT_V", options("SplitVOptions", "numSplits", 2));
        assertThat(int8s(g.view(p0))).containsExactly(0, 4);
        assertThat(int8s(g.view(p1))).containsExactly(1, 2, 3, 5, 6, 7);
    }

    @Test
    void packAndUnpackAlongTheMiddleAxis() {
        Harness h = new Harness();
        int a = h.arenaTensor(DType.INT8, 2, 2);
        int b = h.arenaTensor(DType.INT8, 2, 2);
        for (int i = 0; i < 4; i++) {
            h.view(a).setI8(i, i);
            h.view(b).setI8(i, 10 + i);
        }
        int packed = h.arenaTensor(DType.INT8, 2, 2, 2);
        h.in(a, b).out(packed).run("PACK", options("PackOptions", "valuesCount", 2, "axis", 1));
        assertThat(int8s(h.view(packed))).containsExactly(0, 1, 10, 11, 2, 3, 12, 13);

        Harness g = new Harness();
        int src = g.arenaTensor(DType.INT8, 2, 2, 2);
        for (int i = 0; i < 8; i++) g.view(src).setI8(i, h.view(packed).i8(i));
        int u0 = g.arenaTensor(DType.INT8, 2, 2);
        int u1 = g.arenaTensor(DType.INT8, 2, 2);
        g.in(src).out(u0, u1).run("UNPACK", options("UnpackOptions", "num", 2, "axis", -2));
        assertThat(int8s(g.view(u0))).containsExactly(0, 1, 2, 3);
        assertThat(int8s(g.view(u1))).containsExactly(10, 11, 12, 13);
    }

    @Test
    void shapeWritesDimsAsInt32() {
        Harness h = new Harness();
        int in = h.arenaTensor(DType.INT16, 1, 4, 5, 3);
        int out = h.arenaTensor(DType.INT32, 4);
        h.in(in).out(out).run("SHAPE", options("ShapeOptions", "outType", (byte) 2));
        View o = h.view(out);
        assertThat(new int[] {o.i32(0), o.i32(1), o.i32(2), o.i32(3)}).containsExactly(1, 4, 5, 3);
    }

    @Test
    void everyDataKernelIsRegistered() {
        assertThat(KernelRegistry.kinds()).containsAll(List.of("RESHAPE", "SQUEEZE", "EXPAND_DIMS", "PAD", "PADV2", "CONCATENATION", "SPLIT",
                "SPLIT_V", "PACK", "UNPACK", "TRANSPOSE", "STRIDED_SLICE", "SLICE", "SHAPE", "GATHER"));
    }
}
