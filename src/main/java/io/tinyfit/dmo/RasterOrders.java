package io.tinyfit.dmo;

import io.tinyfit.exec.AccessListener;
import io.tinyfit.model.DType;

import static io.tinyfit.dmo.WindowOrders.read;
import static io.tinyfit.dmo.WindowOrders.write;

/**
 * The loop nests of TFLM's raster-order kernels, as access events only (see {@link AccessOrders} for the
 * sources). Reads of I go to {@code reads}; writes of O, and reads of values the kernel itself wrote to O earlier
 * (softmax's cached exponentials, a mean's running sums), go to {@code writes}, as a tracing view reports them.
 * Byte copies (TFLM's element copies and memcpy) are emitted one byte at a time, read then write, which is how
 * the tracing view sees the Java kernels' byte moves and is as fine as any element copy for the lag.
 */
final class RasterOrders {
    private RasterOrders() {}

    /** i over the flat output: read element i of each operand position that holds I, then write element i. */
    static void elementwise(long n, int positionsHoldingI, int si, int so, AccessListener reads, AccessListener writes) {
        for (long i = 0; i < n; i++) {
            for (int p = 0; p < positionsHoldingI; p++) read(reads, i, si);
            write(writes, i, so);
        }
    }

    /**
     * The binary broadcast loops: the output in row-major order; per element, input 1 then input 2 read at their
     * (broadcast) positions, those holding I reported ({@code strides[p]} null for a position that does not
     * hold I), then the write.
     */
    static void broadcast(int[] out, long[][] strides, int si, int so, AccessListener reads, AccessListener writes) {
        int rank = out.length;
        long total = 1;
        for (int d : out) total *= d;
        int[] idx = new int[rank];
        for (long s = 0; s < total; s++) {
            for (long[] st : strides) {
                if (st == null) continue;
                long e = 0;
                for (int d = 0; d < rank; d++) e += idx[d] * st[d];
                read(reads, e, si);
            }
            write(writes, s, so);
            for (int d = rank - 1; d >= 0 && ++idx[d] == out[d]; d--) idx[d] = 0;
        }
    }

    /** TransposeImpl: the output in row-major order, element s copied from the input at its permuted position. */
    static void transpose(int[] out, long[] inStride, int esize, AccessListener reads, AccessListener writes) {
        int rank = out.length;
        long total = 1;
        for (int d : out) total *= d;
        int[] idx = new int[rank];
        for (long s = 0; s < total; s++) {
            long e = 0;
            for (int d = 0; d < rank; d++) e += idx[d] * inStride[d];
            copyBytes(e * esize, s * esize, esize, reads, writes);
            for (int d = rank - 1; d >= 0 && ++idx[d] == out[d]; d--) idx[d] = 0;
        }
    }

    /** One byte at a time: read byte k of the input at {@code from}, write byte k of the output at {@code to}. */
    static void copyBytes(long from, long to, long count, AccessListener reads, AccessListener writes) {
        for (long k = 0; k < count; k++) {
            reads.read(Math.toIntExact(from + k), 1);
            writes.write(Math.toIntExact(to + k), 1);
        }
    }

    /** PadImpl: the output raster; pad positions written, core positions read from the next input element then written. */
    static void pad(int[] inDims, int[] outDims, int[] pads, int esize, AccessListener reads, AccessListener writes) {
        int rank = outDims.length;
        long total = 1;
        for (int d : outDims) total *= d;
        int[] idx = new int[rank];
        long next = 0;
        for (long p = 0; p < total; p++) {
            boolean core = true;
            for (int d = 0; d < rank; d++) core &= idx[d] >= pads[2 * d] && idx[d] < pads[2 * d] + inDims[d];
            if (core) {
                copyBytes(next * esize, p * esize, esize, reads, writes);
                next++;
            } else {
                for (int k = 0; k < esize; k++) writes.write(Math.toIntExact(p * esize + k), 1);
            }
            for (int d = rank - 1; d >= 0 && ++idx[d] == outDims[d]; d--) idx[d] = 0;
        }
    }

    /** FullyConnected: batch > out_c > d over the whole input row; write {@code b * OC + oc}. */
    static void fullyConnected(long rows, long outDepth, long depth, int si, int so, AccessListener reads, AccessListener writes) {
        for (long b = 0; b < rows; b++)
            for (long oc = 0; oc < outDepth; oc++) {
                for (long k = 0; k < depth; k++) read(reads, b * depth + k, si);
                write(writes, b * outDepth + oc, so);
            }
    }

    /**
     * Softmax over rows of {@code depth}, per TFLM's reference for the type pair: float32 (max pass; exp pass that
     * caches exp in the output; divide pass over the cached values), 8-bit input (max, sum, output passes), int16
     * (max; exp pass caching the LUT value in the output and reading it back for the sum; scale pass).
     */
    static void softmax(long rows, int depth, DType in, int si, int so, AccessListener reads, AccessListener writes) {
        for (long r = 0; r < rows; r++) {
            long base = r * depth;
            for (int c = 0; c < depth; c++) read(reads, base + c, si);
            switch (in) {
                case FLOAT32 -> {
                    for (int c = 0; c < depth; c++) { read(reads, base + c, si); write(writes, base + c, so); }
                    for (int c = 0; c < depth; c++) { read(writes, base + c, so); write(writes, base + c, so); }
                }
                case INT16 -> {
                    for (int c = 0; c < depth; c++) { read(reads, base + c, si); write(writes, base + c, so); read(writes, base + c, so); }
                    for (int c = 0; c < depth; c++) { read(writes, base + c, so); write(writes, base + c, so); }
                }
                default -> {
                    for (int c = 0; c < depth; c++) read(reads, base + c, si);
                    for (int c = 0; c < depth; c++) { read(reads, base + c, si); write(writes, base + c, so); }
                }
            }
        }
    }

    /** LogSoftmax: max pass, sum-of-exponentials pass, output pass reading element c then writing it. */
    static void logSoftmax(long rows, int depth, int si, int so, AccessListener reads, AccessListener writes) {
        for (long r = 0; r < rows; r++) {
            long base = r * depth;
            for (int pass = 0; pass < 2; pass++) for (int c = 0; c < depth; c++) read(reads, base + c, si);
            for (int c = 0; c < depth; c++) { read(reads, base + c, si); write(writes, base + c, so); }
        }
    }

    /** ArgMinMax: outer > inner > the axis; write {@code outer * inner + inner_idx}. */
    static void argMinMax(long outer, long axis, long inner, int si, int so, AccessListener reads, AccessListener writes) {
        for (long o = 0; o < outer; o++)
            for (long i = 0; i < inner; i++) {
                for (long a = 0; a < axis; a++) read(reads, (o * axis + a) * inner + i, si);
                write(writes, o * inner + i, so);
            }
    }

    /** reference_ops::Mean, the 4-D path over H and W: batch > channel > h > w; write {@code b * D + d}. */
    static void mean4d(int[] in, int si, int so, AccessListener reads, AccessListener writes) {
        int batches = in[0], h = in[1], w = in[2], depth = in[3];
        for (int b = 0; b < batches; b++)
            for (int d = 0; d < depth; d++) {
                for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) read(reads, (((long) b * h + y) * w + x) * depth + d, si);
                write(writes, (long) b * depth + d, so);
            }
    }

    /**
     * The generic reductions: the output (and, for integers, the int32 sums in scratch) zeroed, the input read in
     * raster order into {@code ReducedOutputOffset}, then the output written. {@code accumulateInOutput} is the
     * float path, which sums in the output itself (TFLM passes the output as {@code Mean}'s {@code temp_sum}, so its
     * reset loop stores each zero twice, once per alias; one store is emitted here, as the kernel makes, which is
     * the same for the lag): MEAN reads the running sum before the input, SUM after it, and MEAN divides in a
     * last pass. C++ leaves the order of the reducer's two argument reads unspecified; both are emitted in the
     * kernel's order, and a read of O never changes the lag.
     */
    static void reduce(int[] inDims, boolean[] reduced, long outCount, int si, int so, boolean accumulateInOutput,
                       boolean sumReadsInputFirst, boolean divide, AccessListener reads, AccessListener writes) {
        for (long i = 0; i < outCount; i++) write(writes, i, so);
        int rank = inDims.length;
        long[] outStride = new long[rank];
        long s = 1, total = 1;
        for (int d = rank - 1; d >= 0; d--) {
            outStride[d] = reduced[d] ? 0 : s;
            if (!reduced[d]) s *= inDims[d];
            total *= inDims[d];
        }
        int[] idx = new int[rank];
        for (long i = 0; i < total; i++) {
            long o = 0;
            for (int d = 0; d < rank; d++) o += idx[d] * outStride[d];
            if (!accumulateInOutput) {
                read(reads, i, si);
            } else if (sumReadsInputFirst) {
                read(reads, i, si);
                read(writes, o, so);
                write(writes, o, so);
            } else {
                read(writes, o, so);
                read(reads, i, si);
                write(writes, o, so);
            }
            for (int d = rank - 1; d >= 0 && ++idx[d] == inDims[d]; d--) idx[d] = 0;
        }
        if (!accumulateInOutput) {
            for (long i = 0; i < outCount; i++) write(writes, i, so);
        } else if (divide) {
            for (long i = 0; i < outCount; i++) { read(writes, i, so); write(writes, i, so); }
        }
    }

    /** ResizeBilinear: batch > y > x > channel; the four corners (y0,x0), (y1,x0), (y0,x1), (y1,x1), then the write. */
    static void resizeBilinear(int[] in, int[] out, int[][] rows, int[][] cols, int si, int so, AccessListener reads, AccessListener writes) {
        int h = in[1], w = in[2], depth = in[3];
        for (int b = 0; b < in[0]; b++)
            for (int y = 0; y < out[1]; y++)
                for (int x = 0; x < out[2]; x++)
                    for (int c = 0; c < depth; c++) {
                        int y0 = rows[y][0], y1 = rows[y][1], x0 = cols[x][0], x1 = cols[x][1];
                        for (int[] p : new int[][] {{y0, x0}, {y1, x0}, {y0, x1}, {y1, x1}}) {
                            read(reads, (((long) b * h + p[0]) * w + p[1]) * depth + c, si);
                        }
                        write(writes, (((long) b * out[1] + y) * out[2] + x) * depth + c, so);
                    }
    }
}
