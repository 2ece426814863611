package io.tinyfit.cli;

import io.tinyfit.arena.Cpu;
import io.tinyfit.arena.KernelLibrary;
import io.tinyfit.arena.KernelTarget;
import io.tinyfit.model.TinyfitException;
import io.tinyfit.targets.Board;
import io.tinyfit.targets.BoardKernels;
import io.tinyfit.targets.Budget;
import picocli.CommandLine.Option;

import java.util.Optional;

/** {@code --kernels} and {@code --cpu} (a picocli mixin): the kernel library of the TFLM build every figure is for. */
final class KernelOptions {
    @Option(names = "--kernels", paramLabel = "LIB",
            description = "the kernel library the TFLM build links: reference, cmsis-nn or esp-nn (default: the --target board's, else reference); "
                    + "its scratch buffers are in every arena figure (estimates for cmsis-nn and esp-nn), and DMO is off at the operators it replaces")
    String kernels;

    @Option(names = "--cpu", paramLabel = "CPU",
            description = "the processor the library is compiled for, which sets its scratch sizes: cortex-m0, m0+, m3, m4, m7, m33, m55, m85, esp32, esp32s3 "
                    + "(default: the --target board's, else cortex-m4 for cmsis-nn and esp32s3 for esp-nn)")
    String cpu;

    /** The library and processor: the explicit options first, then the board's, then TFLM's reference kernels. */
    KernelTarget resolve(Optional<Budget> budget) {
        Board board = budget.map(Budget::board).orElse(null);
        Optional<Cpu> explicitCpu = Optional.ofNullable(cpu).map(Cpu::parse);
        if (kernels == null) {
            if (board == null) {
                if (explicitCpu.isPresent()) {
                    throw new TinyfitException("--cpu sets the processor of an optimised kernel library: add --kernels cmsis-nn or --kernels esp-nn (or --target BOARD)");
                }
                return KernelTarget.REFERENCE;
            }
            KernelTarget fromBoard = BoardKernels.of(board);
            return explicitCpu.isPresent() && !fromBoard.isReference() ? KernelTarget.of(fromBoard.library(), explicitCpu.get()) : fromBoard;
        }
        KernelLibrary lib = KernelLibrary.parse(kernels);
        if (lib == KernelLibrary.REFERENCE) return KernelTarget.REFERENCE;
        Cpu c = explicitCpu.orElseGet(() -> board == null ? null : BoardKernels.cpu(board).filter(x -> fits(lib, x)).orElse(null));
        return KernelTarget.of(lib, c);
    }

    private static boolean fits(KernelLibrary lib, Cpu c) {
        return lib == KernelLibrary.CMSIS_NN ? c.family() == Cpu.Family.ARM : c.family() == Cpu.Family.ESP;
    }
}
