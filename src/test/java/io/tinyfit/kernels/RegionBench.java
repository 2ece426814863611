package io.tinyfit.kernels;

import io.tinyfit.model.DType;
import io.tinyfit.model.Graph;
import io.tinyfit.model.Op;
import io.tinyfit.model.Region;
import io.tinyfit.model.Tensor;
import io.tinyfit.testing.LittleEndian;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One random single-operator model with random input data, for the region properties: runs the kernel on whole
 * views (the reference), builds tile views that hold only a region of a tensor (dense or with padded strides, the
 * gaps poisoned), and reads a region back out of any view.
 */
final class RegionBench {
    final Graph graph;
    final Op op;
    final Kernel kernel;
    final SplittableRandom random;
    /** Dense bytes of every input tensor (null for omitted inputs and constants). */
    final List<byte[]> inputData = new ArrayList<>();

    RegionBench(Graph graph, long seed) {
        this.graph = graph;
        this.op = graph.ops().get(0);
        this.kernel = KernelRegistry.forOp(op, 0);
        this.random = new SplittableRandom(seed);
        for (int t : op.inputs()) {
            Tensor x = t < 0 ? null : graph.tensor(t);
            inputData.add(x == null || x.isConstant() ? null : data(x));
        }
    }

    Tensor input(int i) { return op.input(i) < 0 ? null : graph.tensor(op.input(i)); }

    Tensor output() { return graph.tensor(op.output(0)); }

    boolean isArenaInput(int i) { return input(i) != null && !input(i).isConstant() && !input(i).variable(); }

    /** Random values: floats in [-2, 2], other types random bytes. */
    private byte[] data(Tensor x) {
        int n = (int) x.shape().numElements();
        if (x.dtype() == DType.FLOAT32) {
            float[] f = new float[n];
            for (int k = 0; k < n; k++) f[k] = (float) (random.nextDouble() * 4 - 2);
            return LittleEndian.f32(f);
        }
        byte[] b = new byte[(int) x.bytes()];
        random.nextBytes(b);
        return b;
    }

    /** Whole, dense views of every input (constants read in place). */
    List<View> wholeInputs() {
        List<View> views = new ArrayList<>();
        for (int i = 0; i < op.inputs().size(); i++) {
            Tensor x = input(i);
            views.add(x == null ? null : x.isConstant() ? new ConstView(x) : new ArenaView(inputData.get(i).clone(), 0, x));
        }
        return views;
    }

    /** The reference: the whole output computed from whole inputs. */
    byte[] full() {
        View out = new ArenaView(new byte[(int) output().bytes()], 0, output());
        kernel.eval(new SoloContext(graph, op, 0, wholeInputs(), List.of(out)));
        return out.toByteArray();
    }

    /** Tiles of the arena inputs holding exactly {@code regions} (constants whole). */
    List<View> tiles(List<Region> regions) {
        List<View> views = new ArrayList<>();
        for (int i = 0; i < op.inputs().size(); i++) {
            Tensor x = input(i);
            if (x == null) views.add(null);
            else if (x.isConstant()) views.add(new ConstView(x));
            else views.add(tile(x, regions.get(i), inputData.get(i)));
        }
        return views;
    }

    /** A tile view of {@code region} of tensor x, its storage strides padded at random, filled from {@code dense}. */
    View tile(Tensor x, Region region, byte[] dense) {
        ArenaView v = emptyTile(x, region);
        if (dense != null) {
            int esize = x.dtype().bytes();
            int[] strides = View.rowMajor(x.shape().toArray());
            forEach(region, c -> {
                int flat = 0;
                for (int d = 0; d < c.length; d++) flat += c[d] * strides[d];
                for (int k = 0; k < esize; k++) v.setRawByte(v.at(c) * esize + k, dense[flat * esize + k]);
            });
        }
        return v;
    }

    /** A tile of random bytes over {@code region}: strides row-major over extents padded by 0 to 2, a random base. */
    ArenaView emptyTile(Tensor x, Region region) {
        int rank = region.rank();
        int[] padded = region.extents();
        for (int d = 0; d < rank; d++) padded[d] += random.nextInt(3);
        int[] strides = View.rowMajor(padded);
        long span = 1;
        for (int e : padded) span *= e;
        int esize = x.dtype().bytes();
        int base = random.nextInt(4) * esize;
        byte[] mem = new byte[(int) (base + span * esize)];
        random.nextBytes(mem);
        return new ArenaView(mem, base, x, region, strides);
    }

    /** The elements of {@code region} of view v, row-major, as bytes. */
    static byte[] read(View v, Region region) {
        int esize = v.dtype().bytes();
        byte[] out = new byte[(int) region.elements() * esize];
        int[] next = {0};
        forEach(region, c -> {
            int s = v.at(c) * esize;
            for (int k = 0; k < esize; k++) out[next[0]++] = (byte) v.rawByte(s + k);
        });
        return out;
    }

    /** The elements of {@code region} of a dense tensor of {@code dims}, row-major, as bytes. */
    static byte[] read(byte[] dense, int[] dims, int esize, Region region) {
        byte[] out = new byte[(int) region.elements() * esize];
        int[] strides = View.rowMajor(dims);
        int[] next = {0};
        forEach(region, c -> {
            int flat = 0;
            for (int d = 0; d < c.length; d++) flat += c[d] * strides[d];
            System.arraycopy(dense, flat * esize, out, next[0], esize);
            next[0] += esize;
        });
        return out;
    }

    interface Coordinate {
        void accept(int[] c);
    }

    /** Every coordinate of the region in row-major order. */
    static void forEach(Region region, Coordinate fn) {
        if (region.isEmpty()) return;
        int[] c = region.lo();
        while (true) {
            fn.accept(c);
            if (!region.next(c, c.length)) return;
        }
    }

    /** A random region: splittable dimensions cut at random (never empty), the others whole. */
    Region randomRegion() {
        int[] dims = output().shape().toArray();
        boolean[] splittable = kernel.splittableDims(graph, op);
        int[] lo = new int[dims.length], hi = dims.clone();
        for (int d = 0; d < dims.length; d++) {
            if (!splittable[d] || dims[d] <= 1) continue;
            lo[d] = random.nextInt(dims[d]);
            hi[d] = lo[d] + 1 + random.nextInt(dims[d] - lo[d]);
        }
        return Region.of(lo, hi);
    }
}
