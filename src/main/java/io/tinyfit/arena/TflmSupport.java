package io.tinyfit.arena;

import io.tinyfit.model.DType;
import io.tinyfit.model.Graph;
import io.tinyfit.model.Op;
import io.tinyfit.model.Tensor;

import java.util.Optional;
import java.util.Set;

/**
 * Whether stock TFLM runs a model at all. Its reference kernels refuse, in {@code Prepare}, hybrid operators (float
 * activations with integer weights: conv_common.cc / depthwise_conv_common.cc / transpose_conv.cc "Hybrid models are
 * not supported on TFLite Micro.", fully_connected.cc "Input type ... with filter type ... not supported.") and the
 * legacy uint8 activations of convolutions (the same conv check). Such a model still has a verified plan; only
 * tinyfit's own runtime executes it.
 */
public final class TflmSupport {
    /** What runs a plan stock TFLM refuses. */
    public static final String ALTERNATIVE = "tinyfit's own runtime (tinyfit run; the tinyfit-runtime deployability class)";

    private static final Set<String> WEIGHTED = Set.of("CONV_2D", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED", "TRANSPOSE_CONV");

    private TflmSupport() {}

    /** Why TFLM's AllocateTensors() fails on this model, naming the first operator it stops at; empty when it runs. */
    public static Optional<String> refusal(Graph g) {
        for (int i = 0; i < g.ops().size(); i++) {
            Op op = g.ops().get(i);
            String why = refusal(g, op);
            if (why != null) return Optional.of("operator " + i + " (" + op.kind() + "): " + why);
        }
        return Optional.empty();
    }

    private static String refusal(Graph g, Op op) {
        if (op.kind().equals("CUSTOM(TFLite_Detection_PostProcess)")) {
            // detection_postprocess.cc: Prepare takes any type, but Eval decodes float32 only and fails on the rest
            for (int i = 0; i < Math.min(2, op.inputs().size()); i++) {
                if (op.hasInput(i) && g.tensor(op.input(i)).dtype() != DType.FLOAT32) {
                    return "TFLite_Detection_PostProcess input " + i + " is " + g.tensor(op.input(i)).dtype().label() + "; TFLM's Eval decodes float32 only and returns an error";
                }
            }
        }
        if (WEIGHTED.contains(op.kind())) {
            int dataInput = op.kind().equals("TRANSPOSE_CONV") ? 2 : 0;
            int weightInput = 1;
            if (op.hasInput(dataInput) && op.hasInput(weightInput)) {
                Tensor in = g.tensor(op.input(dataInput));
                Tensor w = g.tensor(op.input(weightInput));
                boolean fc = op.kind().equals("FULLY_CONNECTED");
                if (in.dtype() == DType.FLOAT32 && w.dtype() != DType.FLOAT32) {
                    return fc ? "float input with " + w.dtype().label() + " weights; TFLM: \"Input type: FLOAT32 with filter type: "
                            + w.dtype().name() + " not supported.\"" : hybrid(in, w);
                }
                if (in.dtype() == DType.UINT8 && !fc) return hybrid(in, w);
            }
        }
        for (int t : op.outputs()) {
            if (g.tensor(t).dtype() == DType.UINT8 && !op.kind().equals("QUANTIZE")) {
                return "uint8 activations, which TFLM's reference kernels do not compute";
            }
        }
        return null;
    }

    private static String hybrid(Tensor in, Tensor w) {
        return in.dtype().label() + " input with " + w.dtype().label() + " weights; TFLM: \"Hybrid models are not supported on TFLite Micro.\"";
    }
}
