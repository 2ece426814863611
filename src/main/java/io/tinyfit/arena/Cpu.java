package io.tinyfit.arena;

import io.tinyfit.model.TinyfitException;

import java.util.Arrays;
import java.util.Locale;

/**
 * The processor a kernel library is compiled for, as far as it changes the library's scratch requests: CMSIS-NN
 * picks its code path (and buffer sizes) by the compiler's {@code ARM_MATH_DSP} (DSP extension: Cortex-M4, M7, M33
 * with DSP, M55, M85) and {@code ARM_MATH_MVEI} (Helium/MVE: M55, M85); ESP-NN by the chip (ESP32: generic C
 * optimisations; ESP32-S3: its SIMD kernels).
 */
public enum Cpu {
    CORTEX_M0("cortex-m0", Family.ARM, false, false),
    CORTEX_M0_PLUS("cortex-m0+", Family.ARM, false, false),
    CORTEX_M3("cortex-m3", Family.ARM, false, false),
    CORTEX_M4("cortex-m4", Family.ARM, true, false),
    CORTEX_M7("cortex-m7", Family.ARM, true, false),
    CORTEX_M33("cortex-m33", Family.ARM, true, false),
    CORTEX_M55("cortex-m55", Family.ARM, true, true),
    CORTEX_M85("cortex-m85", Family.ARM, true, true),
    ESP32("esp32", Family.ESP, false, false),
    ESP32_S3("esp32s3", Family.ESP, false, false);

    /** Which library family can run on the processor. */
    public enum Family { ARM, ESP }

    private final String id;
    private final Family family;
    private final boolean dsp;
    private final boolean mve;

    Cpu(String id, Family family, boolean dsp, boolean mve) {
        this.id = id;
        this.family = family;
        this.dsp = dsp;
        this.mve = mve;
    }

    public String id() { return id; }

    public Family family() { return family; }

    /** Arm's DSP extension: CMSIS-NN compiled with {@code ARM_MATH_DSP}. */
    public boolean dsp() { return dsp; }

    /** Arm's M-profile vector extension (Helium): CMSIS-NN compiled with {@code ARM_MATH_MVEI}. */
    public boolean mve() { return mve; }

    /** {@code cortex-m4 (DSP)}, {@code cortex-m55 (DSP+MVE)}, {@code esp32s3}. */
    public String label() {
        return id + (mve ? " (DSP+MVE)" : dsp ? " (DSP)" : family == Family.ARM ? " (no DSP)" : "");
    }

    /** {@code m4}, {@code cortex-m4}, {@code Cortex-M4F}, {@code m0plus}, {@code esp32-s3} ... (case-insensitive). */
    public static Cpu parse(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT).replace("_", "-").replace(" ", "");
        t = t.replace("plus", "+");
        if (t.startsWith("esp32")) t = t.replace("-", "");
        if (t.matches("m\\d+\\+?f?")) t = "cortex-" + t;
        if (t.matches("cortex-m\\d+\\+?f")) t = t.substring(0, t.length() - 1);   // the F (FPU) changes nothing here
        for (Cpu c : values()) if (c.id.equals(t)) return c;
        throw new TinyfitException("--cpu: unknown processor '" + text + "' (known: "
                + String.join(", ", Arrays.stream(values()).map(Cpu::id).toList()) + ")");
    }

    @Override public String toString() { return id; }
}
