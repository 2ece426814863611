package io.tinyfit.kernels;

import io.tinyfit.exec.AccessListener;
import io.tinyfit.exec.TracingView;
import io.tinyfit.model.DType;
import io.tinyfit.model.Graph;
import io.tinyfit.model.Op;
import io.tinyfit.model.Region;
import io.tinyfit.model.Tensor;
import io.tinyfit.testing.RandomOps;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kernels over regions, on random single-operator models of every splittable kind (random shapes, strides,
 * dilations, paddings, broadcasts, axes, permutations, dtypes) and random output regions:
 * <ul>
 * <li>computing a region from input tiles that hold only the inferred input regions (their storage strides
 *     padded, the gaps poisoned) gives that region of the whole computation bit for bit, into a tile or into a
 *     whole output whose other elements stay untouched;</li>
 * <li>the inferred input region is the bounding box of the kernel's traced reads (so an inference that asks for
 *     more than it reads fails), and the traced writes cover exactly the region;</li>
 * <li>CONV_2D and FULLY_CONNECTED: accumulating random input-channel slices in random order, each from tiles of
 *     its own inferred slice, then finishing, equals the unsplit kernel.</li>
 * </ul>
 */
class RegionPropertiesTest {
    static final Set<String> SPLITTABLE = Set.of("CONV_2D", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED", "AVERAGE_POOL_2D", "MAX_POOL_2D",
            "PAD", "PADV2", "ADD", "SUB", "MUL", "MAXIMUM", "MINIMUM", "SQUARED_DIFFERENCE", "RELU", "RELU6", "LEAKY_RELU", "PRELU",
            "HARD_SWISH", "LOGISTIC", "TANH", "QUANTIZE", "DEQUANTIZE", "CONCATENATION", "RESHAPE", "TRANSPOSE",
            "RESIZE_NEAREST_NEIGHBOR", "RESIZE_BILINEAR");

    @Provide
    Arbitrary<String> splittable() { return Arbitraries.of(new TreeSet<>(SPLITTABLE)); }

    @Provide
    Arbitrary<String> partialSums() { return Arbitraries.of("CONV_2D", "FULLY_CONNECTED"); }

    @Example
    void exactlyTheListedKindsSplitAndTheOthersDeclareThemselvesUnsplittable() {
        Set<String> split = new TreeSet<>();
        for (String kind : RandomOps.kinds()) {
            for (long seed = 0; seed < 12; seed++) {
                Graph g = RandomOps.of(kind, seed).graph();
                Op op = g.ops().get(0);
                boolean[] s = KernelRegistry.forOp(op, 0).splittableDims(g, op);
                for (boolean b : s) if (b) split.add(kind);
            }
        }
        assertThat(split).containsExactlyInAnyOrderElementsOf(SPLITTABLE);
    }

    @Property(tries = 400)
    void aRegionFromItsInferredInputTilesEqualsThatRegionOfTheWholeComputation(@ForAll("splittable") String kind, @ForAll long seed) {
        RegionBench b = bench(kind, seed);
        byte[] full = b.full();
        Region r = b.randomRegion();
        List<View> tiles = b.tiles(b.kernel.inputRegions(b.graph, b.op, r));
        Tensor outT = b.output();
        boolean intoTile = b.random.nextBoolean();
        View out = b.emptyTile(outT, intoTile ? r : Region.whole(outT.shape()));
        byte[] before = RegionBench.read(out, out.region());
        b.kernel.eval(new SoloContext(b.graph, b.op, 0, tiles, List.of(out), r));

        int esize = outT.dtype().bytes();
        assertThat(RegionBench.read(out, r)).as(label(b, r)).isEqualTo(RegionBench.read(full, outT.shape().toArray(), esize, r));
        if (!intoTile) {
            byte[] after = RegionBench.read(out, out.region());
            int[] k = {0};
            RegionBench.forEach(out.region(), c -> {
                if (!r.contains(c)) {
                    assertThat(Arrays.copyOfRange(after, k[0], k[0] + esize)).as("outside the region, " + label(b, r))
                            .isEqualTo(Arrays.copyOfRange(before, k[0], k[0] + esize));
                }
                k[0] += esize;
            });
        }
    }

    @Property(tries = 400)
    void theInferredInputRegionIsTheBoundingBoxOfTheTracedReads(@ForAll("splittable") String kind, @ForAll long seed) {
        RegionBench b = bench(kind, seed);
        Region r = b.randomRegion();
        List<Region> need = b.kernel.inputRegions(b.graph, b.op, r);
        List<View> views = b.wholeInputs();
        List<Box> reads = new ArrayList<>();
        for (int i = 0; i < views.size(); i++) {
            Box box = b.isArenaInput(i) ? new Box(b.input(i)) : null;
            reads.add(box);
            if (box != null) views.set(i, new TracingView(views.get(i), box));
        }
        Box writes = new Box(b.output());
        View out = new TracingView(new ArenaView(new byte[(int) b.output().bytes()], 0, b.output()), writes);
        b.kernel.eval(new SoloContext(b.graph, b.op, 0, views, List.of(out), r));

        for (int i = 0; i < reads.size(); i++) {
            if (reads.get(i) == null) continue;
            if (kind.equals("PRELU") && i == 1) {
                // alpha is read only for negative inputs: the reads depend on the data, the inference bounds them
                assertThat(need.get(i).contains(reads.get(i).region())).as(label(b, r)).isTrue();
            } else {
                assertThat(need.get(i)).as("input " + i + ", " + label(b, r)).isEqualTo(reads.get(i).region());
            }
        }
        assertThat(writes.region()).as("writes, " + label(b, r)).isEqualTo(r);
    }

    @Property(tries = 250)
    void accumulatingRandomChannelSlicesThenFinishingEqualsTheUnsplitKernel(@ForAll("partialSums") String kind, @ForAll long seed) {
        RegionBench b = bench(kind, seed);
        PartialSums k = (PartialSums) b.kernel;
        Optional<DType> type = k.accumulator(b.graph, b.op);
        Assume.that(type.isPresent());
        byte[] full = b.full();
        Region r = b.randomRegion();
        int channels = k.inputChannels(b.graph, b.op);
        List<int[]> slices = randomSlices(b, channels);
        Tensor outT = b.output();
        View out = b.emptyTile(outT, r);
        View acc = b.emptyTile(PartialSums.accumulatorTensor(outT, type.get()), r);
        for (int s = 0; s < slices.size(); s++) {
            int from = slices.get(s)[0], to = slices.get(s)[1];
            List<View> tiles = b.tiles(k.inputRegions(b.graph, b.op, r, from, to));
            k.accumulate(new SoloContext(b.graph, b.op, 0, tiles, List.of(out), r), acc, from, to, s == 0);
        }
        k.finish(new SoloContext(b.graph, b.op, 0, b.wholeInputs(), List.of(out), r), acc);
        assertThat(RegionBench.read(out, r)).as(label(b, r) + " slices " + slices.stream().map(Arrays::toString).toList())
                .isEqualTo(RegionBench.read(full, outT.shape().toArray(), outT.dtype().bytes(), r));
    }

    /** The bounding box the trace finds is what an inference must give: one asking for the whole input is refuted. */
    @Example
    void anInferenceOfTheWholeInputIsRefutedByTheTrace() {
        for (long seed = 0; ; seed++) {
            RegionBench b = new RegionBench(RandomOps.of("CONV_2D", seed).graph(), seed);
            if (b.input(0).dtype() != DType.INT8 || b.output().shape().dim(1) < 3) continue;
            Region r = Region.whole(b.output().shape()).with(1, 0, 1);
            List<View> views = b.wholeInputs();
            Box box = new Box(b.input(0));
            views.set(0, new TracingView(views.get(0), box));
            b.kernel.eval(new SoloContext(b.graph, b.op, 0, views, List.of(new ArenaView(new byte[(int) b.output().bytes()], 0, b.output())), r));
            assertThat(box.region()).isNotEqualTo(Region.whole(b.input(0).shape()));
            assertThat(box.region()).isEqualTo(b.kernel.inputRegions(b.graph, b.op, r).get(0));
            return;
        }
    }

    /** Random cut points partition [0, channels) into slices, visited in random order. */
    private static List<int[]> randomSlices(RegionBench b, int channels) {
        TreeSet<Integer> cuts = new TreeSet<>(List.of(0, channels));
        int n = b.random.nextInt(Math.max(1, channels));
        for (int i = 0; i < n; i++) cuts.add(b.random.nextInt(channels + 1));
        List<Integer> c = new ArrayList<>(cuts);
        List<int[]> slices = new ArrayList<>();
        for (int i = 0; i + 1 < c.size(); i++) slices.add(new int[] {c.get(i), c.get(i + 1)});
        Collections.shuffle(slices, new java.util.Random(b.random.nextLong()));
        return slices;
    }

    /** A random case of the kind with at least one splittable dimension (the hybrid variants split nothing). */
    private static RegionBench bench(String kind, long seed) {
        Graph g = RandomOps.of(kind, seed).graph();
        Op op = g.ops().get(0);
        boolean any = false;
        for (boolean s : KernelRegistry.forOp(op, 0).splittableDims(g, op)) any |= s;
        Assume.that(any);
        return new RegionBench(g, seed);
    }

    private static String label(RegionBench b, Region r) { return b.op.kind() + " " + describe(b) + " region " + r; }

    private static String describe(RegionBench b) {
        StringBuilder s = new StringBuilder();
        for (int t : b.op.inputs()) if (t >= 0) s.append(b.graph.tensor(t).dtype().label()).append(b.graph.tensor(t).shape()).append(' ');
        return s.append("-> ").append(b.output().shape()).append(' ').append(b.op.options()).toString();
    }

    /** The bounding box, in global coordinates, of the elements a traced whole dense view reads (or writes). */
    private static final class Box implements AccessListener {
        private final int[] dims;
        private final int esize;
        private final int[] lo, hi;
        private boolean any;

        Box(Tensor t) {
            this.dims = t.shape().toArray();
            this.esize = t.dtype().bytes();
            this.lo = new int[dims.length];
            this.hi = new int[dims.length];
            Arrays.fill(lo, Integer.MAX_VALUE);
        }

        @Override public void read(int byteOffset, int width) { add(byteOffset); }

        @Override public void write(int byteOffset, int width) { add(byteOffset); }

        private void add(int byteOffset) {
            int flat = byteOffset / esize;
            any = true;
            for (int d = dims.length - 1; d >= 0; d--) {
                int c = flat % dims[d];
                flat /= dims[d];
                lo[d] = Math.min(lo[d], c);
                hi[d] = Math.max(hi[d], c + 1);
            }
        }

        Region region() { return any ? Region.of(lo, hi) : Region.empty(dims.length); }
    }
}
