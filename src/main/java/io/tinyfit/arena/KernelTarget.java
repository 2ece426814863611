package io.tinyfit.arena;

import io.tinyfit.kernels.KernelRegistry;
import io.tinyfit.model.Graph;
import io.tinyfit.model.Op;
import io.tinyfit.model.TinyfitException;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The kernels a TFLM build runs: a library and the processor it was compiled for (null for the reference kernels,
 * which ask the same on every processor). Decides the scratch buffers every plan must hold and where DMO may
 * overlap buffers: only at operators the library leaves to the reference kernels.
 */
public record KernelTarget(KernelLibrary library, Cpu cpu) {
    public static final KernelTarget REFERENCE = new KernelTarget(KernelLibrary.REFERENCE, null);

    public KernelTarget {
        if (library == null) throw new IllegalArgumentException("no kernel library");
        if (library == KernelLibrary.REFERENCE) cpu = null;
        else if (cpu == null) throw new IllegalArgumentException(library + " needs a processor");
        if (library == KernelLibrary.CMSIS_NN && cpu.family() != Cpu.Family.ARM) {
            throw new TinyfitException("--kernels cmsis-nn runs on Arm Cortex-M processors, not " + cpu.id() + " (--cpu)");
        }
        if (library == KernelLibrary.ESP_NN && cpu.family() != Cpu.Family.ESP) {
            throw new TinyfitException("--kernels esp-nn runs on Espressif chips (esp32, esp32s3), not " + cpu.id() + " (--cpu)");
        }
    }

    /** The processor assumed when none is named: cortex-m4 for CMSIS-NN (the commonest core), esp32s3 for ESP-NN. */
    public static Cpu defaultCpu(KernelLibrary library) {
        return switch (library) {
            case REFERENCE -> null;
            case CMSIS_NN -> Cpu.CORTEX_M4;
            case ESP_NN -> Cpu.ESP32_S3;
        };
    }

    public static KernelTarget of(KernelLibrary library, Cpu cpu) {
        return new KernelTarget(library, library == KernelLibrary.REFERENCE ? null : cpu != null ? cpu : defaultCpu(library));
    }

    public boolean isReference() { return library == KernelLibrary.REFERENCE; }

    /** The JSON and marker name: {@code reference}, {@code cmsis-nn}, {@code esp-nn}. */
    public String id() { return library.id(); }

    /** {@code reference}, {@code cmsis-nn on cortex-m4 (DSP)}. */
    public String label() { return isReference() ? library.id() : library.id() + " on " + cpu.label(); }

    /** Whether the library's kernel runs this operator (its scratch and access order are the library's). */
    public boolean replaces(Op op) { return library.replaces(op.kind()); }

    /**
     * The scratch buffers the operator's kernel requests in TFLM's {@code Prepare}, in request order: the
     * library's for a replaced kernel whose size function is modelled ({@link CmsisNnScratch}, {@link EspNnScratch}),
     * else tinyfit's reference kernel's (see {@link #unmodelled}).
     */
    public List<Long> scratchBytes(Graph g, Op op) {
        return library(g, op).orElseGet(() -> KernelRegistry.find(op.kind()).map(k -> k.scratchBytes(g, op)).orElse(List.of()));
    }

    private Optional<List<Long>> library(Graph g, Op op) {
        if (!replaces(op)) return Optional.empty();
        return switch (library) {
            case REFERENCE -> Optional.empty();
            case CMSIS_NN -> CmsisNnScratch.of(g, op, cpu);
            case ESP_NN -> EspNnScratch.of(g, op, cpu);
        };
    }

    /**
     * Operator kinds of {@code g} the library replaces but whose scratch requests are not modelled (the reference
     * figure stands in); float operators are left out, since the libraries run them with the reference code.
     */
    public List<String> unmodelled(Graph g) {
        Set<String> out = new LinkedHashSet<>();
        for (Op op : g.ops()) {
            boolean floatOp = !op.inputs().isEmpty() && op.input(0) >= 0 && g.tensor(op.input(0)).dtype() == io.tinyfit.model.DType.FLOAT32;
            if (replaces(op) && !floatOp && library(g, op).isEmpty()) out.add(op.kind());
        }
        return new ArrayList<>(out);
    }

    /** The operators of {@code g} where DMO is off (by index): those the library runs with its own code. */
    public List<Integer> replacedOps(Graph g) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < g.ops().size(); i++) if (dmoOff(g, g.ops().get(i))) out.add(i);
        return out;
    }

    /**
     * Whether DMO must stay off at {@code op}: the library replaces its kernel, unless that kernel hands this case
     * to the reference code, whose loop order tinyfit has proven. Float32 convolutions do so in both libraries
     * (cmsis_nn/conv.cc, cmsis_nn/depthwise_conv.cc and esp_nn/conv.cc, esp_nn/depthwise_conv.cc: {@code case
     * kTfLiteFloat32: tflite::reference_ops::Conv / DepthwiseConv}), and ESP-NN's int8 convolutions with a dilation
     * above 1 ({@code reference_integer_ops::ConvPerChannel} / {@code DepthwiseConvPerChannel}).
     */
    public boolean dmoOff(Graph g, Op op) {
        if (!replaces(op)) return false;
        boolean conv = op.kind().equals("CONV_2D") || op.kind().equals("DEPTHWISE_CONV_2D");
        if (!conv) return true;
        io.tinyfit.model.DType in = g.tensor(op.input(0)).dtype();
        if (in == io.tinyfit.model.DType.FLOAT32 && g.tensor(op.input(1)).dtype() == io.tinyfit.model.DType.FLOAT32) return false;
        if (library == KernelLibrary.ESP_NN && in == io.tinyfit.model.DType.INT8) {
            return op.options().getInt("dilationHFactor", 1) == 1 && op.options().getInt("dilationWFactor", 1) == 1;
        }
        return true;
    }

    /** Why DMO may not overlap at an operator the library replaces. */
    public String dmoOffReason(Op op) {
        return id() + " replaces the reference " + op.kind() + " kernel; tinyfit has not proven its access order, so DMO is off there";
    }

    @Override public String toString() { return label(); }
}
