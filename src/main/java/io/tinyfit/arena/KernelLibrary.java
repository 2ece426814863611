package io.tinyfit.arena;

import io.tinyfit.model.TinyfitException;

import java.util.Arrays;
import java.util.Locale;
import java.util.Set;

/**
 * The kernel library a TFLM build links: TFLM's reference kernels, or an optimised library that replaces some of
 * them. A replaced kernel requests other scratch buffers in {@code Prepare} ({@link LibraryScratch}) and reads and
 * writes in another order than the reference loop nest, so tinyfit's DMO overlaps, proven for the reference order,
 * are not proven for it.
 */
public enum KernelLibrary {
    REFERENCE("reference", Set.of()),
    /**
     * tflite-micro {@code tensorflow/lite/micro/kernels/cmsis_nn/}: add, batch_matmul, conv, depthwise_conv,
     * fully_connected, maximum_minimum, mul, pad, pooling, softmax, svdf, transpose, transpose_conv,
     * unidirectional_sequence_lstm.
     */
    CMSIS_NN("cmsis-nn", Set.of("ADD", "BATCH_MATMUL", "CONV_2D", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED", "MAXIMUM", "MINIMUM", "MUL",
            "PAD", "AVERAGE_POOL_2D", "MAX_POOL_2D", "SOFTMAX", "SVDF", "TRANSPOSE", "TRANSPOSE_CONV", "UNIDIRECTIONAL_SEQUENCE_LSTM")),
    /**
     * espressif/esp-tflite-micro {@code tensorflow/lite/micro/kernels/esp_nn/}: add, conv, depthwise_conv,
     * fully_connected, mul, pooling, softmax.
     */
    ESP_NN("esp-nn", Set.of("ADD", "CONV_2D", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED", "MUL", "AVERAGE_POOL_2D", "MAX_POOL_2D", "SOFTMAX"));

    private final String id;
    private final Set<String> replaced;

    KernelLibrary(String id, Set<String> replaced) {
        this.id = id;
        this.replaced = replaced;
    }

    /** The name the command line, the JSON ({@code kernels}) and the file marker use. */
    public String id() { return id; }

    /** Whether the library's build swaps TFLM's reference kernel of this operator kind for its own. */
    public boolean replaces(String opKind) { return replaced.contains(opKind); }

    /** The operator kinds the library replaces. */
    public Set<String> replacedKinds() { return replaced; }

    /** {@code reference}, {@code cmsis-nn} or {@code esp-nn} (case-insensitive, {@code _} for {@code -}). */
    public static KernelLibrary parse(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT).replace('_', '-');
        if (t.equals("cmsisnn") || t.equals("cmsis")) t = "cmsis-nn";
        if (t.equals("espnn")) t = "esp-nn";
        for (KernelLibrary k : values()) if (k.id.equals(t)) return k;
        throw new TinyfitException("--kernels: unknown kernel library '" + text + "' (known: "
                + String.join(", ", Arrays.stream(values()).map(KernelLibrary::id).toList()) + ")");
    }

    @Override public String toString() { return id; }
}
