package io.tinyfit.dmo;

import java.util.Set;

/** Placeholder until the loop-nest descriptors land. */
public final class AccessOrders {
    private static final Set<String> MODELLED = Set.of("CONV_2D", "DEPTHWISE_CONV_2D", "AVERAGE_POOL_2D", "MAX_POOL_2D", "PAD", "PADV2",
            "FULLY_CONNECTED", "ADD", "SUB", "MUL", "RELU", "RELU6", "LEAKY_RELU", "HARD_SWISH", "LOGISTIC", "TANH", "QUANTIZE",
            "DEQUANTIZE", "SOFTMAX", "RESHAPE", "MEAN");

    private AccessOrders() {}

    public static boolean modelled(String kind) { return MODELLED.contains(kind); }
}
