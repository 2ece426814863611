package io.tinyfit.dmo;

import io.tinyfit.exec.AccessListener;
import io.tinyfit.kernels.ReferenceOrders;
import io.tinyfit.model.DType;
import io.tinyfit.model.Graph;


/**
 * TFLM's reference loop nests ({@link ReferenceOrders} names them), enumerated symbolically. A stock TFLM build runs the plans
 * tinyfit exports, so a DMO overlap is only safe if TFLM's kernels touch memory in the order tinyfit's bounds
 * assume. {@link #enumerate} emits the accesses TFLM's loop nest makes to one input I and one output O, with no
 * arithmetic on values; a test compares that stream, event for event, with the stream the Java kernel produces
 * under tracing, which proves the Java kernels follow TFLM's order for these kinds.
 *
 * <p>Paths outside TFLM (hybrid float/int8 convolutions, legacy uint8 where TFLM has none) are not modelled.
 */
public final class AccessOrders {
    private AccessOrders() {}

    /**
     * Symbolic enumeration of TFLM's loop nest with I and O in distinct buffers: the read events of operand
     * {@code inputIndex} go to {@code reads}, the write events of output {@code outputIndex} (and reads of values
     * the kernel wrote there itself) to {@code writes}, in order, with byte offsets and widths, and no arithmetic.
     *
     * @throws IllegalArgumentException for a kind, operand or variant that is not modelled
     */
    public static void enumerate(Graph g, int opIndex, int inputIndex, int outputIndex, AccessListener reads, AccessListener writes) {
        enumerate(g, opIndex, inputIndex, outputIndex, false, reads, writes);
    }

    /** As {@link #enumerate(Graph, int, int, int, AccessListener, AccessListener)}, with I and O at the same address when {@code aliased}. */
    public static void enumerate(Graph g, int opIndex, int inputIndex, int outputIndex, boolean aliased, AccessListener reads, AccessListener writes) {
        Operand o = Operand.of(g, opIndex, inputIndex, outputIndex);
        String kind = o.kind();
        if (!ReferenceOrders.has(kind)) throw new IllegalArgumentException(kind + " has no modelled loop nest");
        if (aliased && !kind.equals("RESHAPE")) throw new IllegalArgumentException("only RESHAPE is modelled on aliased buffers");
        if (o.in().dtype() == DType.FLOAT32 && o.hasInput(1) && o.input(1).dtype() == DType.INT8
                && (kind.equals("CONV_2D") || kind.equals("DEPTHWISE_CONV_2D") || kind.equals("FULLY_CONNECTED"))) {
            throw new IllegalArgumentException("hybrid " + kind + " is not a TFLM kernel");
        }
        Emitters.emit(o, aliased, reads, writes);
    }
}
