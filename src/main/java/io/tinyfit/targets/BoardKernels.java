package io.tinyfit.targets;

import io.tinyfit.arena.Cpu;
import io.tinyfit.arena.KernelLibrary;
import io.tinyfit.arena.KernelTarget;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The kernel library and processor a board's usual TFLM build uses (its catalogue's {@code kernels} and {@code core}). */
public final class BoardKernels {
    private static final Pattern CORTEX = Pattern.compile("cortex-m(\\d+)(\\+?)", Pattern.CASE_INSENSITIVE);

    private BoardKernels() {}

    /** The board's processor as a kernel library sees it: the first Cortex-M core named (the application core), or the ESP32 kind. */
    public static Optional<Cpu> cpu(Board b) {
        String core = b.cpu().core().toLowerCase(Locale.ROOT);
        if (core.contains("lx7")) return Optional.of(Cpu.ESP32_S3);
        if (core.contains("lx6")) return Optional.of(Cpu.ESP32);
        Matcher m = CORTEX.matcher(core);
        if (!m.find()) return Optional.empty();
        Cpu c = Cpu.parse("cortex-m" + m.group(1) + m.group(2));
        // a Cortex-M33 may be built without the DSP extension; the catalogue says which
        if (c == Cpu.CORTEX_M33 && !b.cpu().dsp()) return Optional.of(Cpu.CORTEX_M3);
        return Optional.of(c);
    }

    /** The board's library on its processor; the reference kernels when the catalogue names no usable processor. */
    public static KernelTarget of(Board b) {
        KernelLibrary lib = KernelLibrary.parse(b.kernels());
        if (lib == KernelLibrary.REFERENCE) return KernelTarget.REFERENCE;
        return KernelTarget.of(lib, cpu(b).orElse(null));
    }
}
