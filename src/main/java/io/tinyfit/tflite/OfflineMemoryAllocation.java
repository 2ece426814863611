package io.tinyfit.tflite;

import io.tinyfit.model.ConstData;
import io.tinyfit.model.Graph;
import io.tinyfit.model.GraphValidator;
import io.tinyfit.model.Limits;
import io.tinyfit.model.ModelFormatException;
import io.tinyfit.model.Tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.Optional;

/**
 * TFLM's offline memory plan: the model metadata entry {@code OfflineMemoryAllocation} whose buffer holds
 * little-endian int32 words {@code [version, subgraph count, N, offset_0 … offset_N-1]}, N being the tensor
 * count over all subgraphs (subgraph 0's tensors first) and -1 meaning "let TFLM's planner place it"
 * (micro_allocation_info.cc, {@code GetOfflinePlannedOffsets}; docs/memory_management.md). TFLM ignores the
 * version and subgraph-count words but rejects any N other than the total tensor count. The writer keeps the
 * buffer 16-byte aligned, so TFLM's raw {@code int32*} read is aligned.
 */
public final class OfflineMemoryAllocation {
    /** TFLM's own tests write 1; Vela writes 0. TFLM ignores the word. */
    public static final int VERSION = 1;
    /** TFLM's arena alignment, which every offset of a plan must keep. */
    static final int ALIGNMENT = 16;

    private OfflineMemoryAllocation() {}

    /** The metadata bytes for offsets of subgraph-0 tensors (tensor id to byte offset in the head). */
    public static byte[] encode(Graph g, Map<Integer, Long> offsets) {
        int n = g.totalTensorCount();
        ByteBuffer bb = ByteBuffer.allocate(4 * (3 + n)).order(ByteOrder.LITTLE_ENDIAN);
        bb.putInt(VERSION).putInt(g.subgraphs().size()).putInt(n);
        for (int t = 0; t < n; t++) {
            Long off = t < g.tensors().size() ? offsets.get(t) : null;
            if (off != null && (off < 0 || off > Integer.MAX_VALUE)) throw new IllegalArgumentException("offset " + off + " of tensor " + t + " does not fit int32");
            bb.putInt(off == null ? -1 : (int) (long) off);
        }
        return bb.array();
    }

    /** A copy of the model carrying the offline plan (an existing entry is replaced). */
    public static Graph attach(Graph g, Map<Integer, Long> offsets) {
        return g.withMetadata(Graph.OFFLINE_MEMORY_ALLOCATION, encode(g, offsets));
    }

    /**
     * The entries of a model's offline plan, checked when it is loaded: each -1 or a non-negative multiple of 16
     * (TFLM's planner alignment; an unaligned or negative offset faults or corrupts memory on a microcontroller,
     * and no planner can honour it), and no tensor ending beyond the arena limit.
     */
    public static void validate(Graph g, Limits limits) {
        for (Map.Entry<Integer, Long> e : read(g).orElse(Map.of()).entrySet()) {
            Tensor t = g.tensor(e.getKey());
            long end = e.getValue() + t.bytes();
            if (!t.isConstant() && end > limits.maxArenaBytes()) {
                throw new ModelFormatException(g.source() + ": OfflineMemoryAllocation places " + GraphValidator.describe(t) + " at offset "
                        + e.getValue() + ", ending at byte " + end + ", above " + limits.describe());
            }
        }
    }

    /** The offsets of subgraph-0 tensors in a model's offline plan (-1 entries omitted), if it has one. */
    public static Optional<Map<Integer, Long>> read(Graph g) {
        Optional<ConstData> data = g.metadataBytes(Graph.OFFLINE_MEMORY_ALLOCATION);
        if (data.isEmpty()) return Optional.empty();
        ByteBuffer bb = data.get().asByteBuffer();
        if (bb.remaining() < 12) throw new ModelFormatException(g.source() + ": OfflineMemoryAllocation metadata is shorter than its 3-word header");
        int n = bb.getInt(8);
        if (n != g.totalTensorCount() || bb.remaining() < 4L * (3 + n)) {
            throw new ModelFormatException(g.source() + ": OfflineMemoryAllocation lists " + n + " offsets but the model has " + g.totalTensorCount() + " tensors");
        }
        Map<Integer, Long> out = new java.util.HashMap<>();
        for (int t = 0; t < g.tensors().size(); t++) {
            int off = bb.getInt(4 * (3 + t));
            if (off == -1) continue;
            if (off < 0 || off % ALIGNMENT != 0) {
                throw new ModelFormatException(g.source() + ": OfflineMemoryAllocation gives " + GraphValidator.describe(g.tensor(t)) + " offset " + off
                        + (off < 0 ? ", which is negative (only -1, \"planned online\", may be)" : ", which is not a multiple of " + ALIGNMENT + " bytes"));
            }
            out.put(t, (long) off);
        }
        return Optional.of(out);
    }
}
