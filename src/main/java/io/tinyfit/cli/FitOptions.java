package io.tinyfit.cli;

import io.tinyfit.report.FitTarget;
import io.tinyfit.targets.Budget;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@code --budget} and {@code --target} of {@code analyze} and {@code optimize} (a picocli mixin). */
final class FitOptions {
    @Spec(Spec.Target.MIXEE)
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--budget", paramLabel = "SIZE", converter = ByteSizeConverter.class,
            description = "the whole TFLM arena must fit SIZE: bytes, or KiB/MiB/GiB, kB/MB/GB (exit 1 when it does not); with --target, the share of the board's memory the arena may take")
    Long budget;

    @Option(names = "--target", paramLabel = "BOARD",
            description = "budget the board's SRAM (its largest contiguous bank where banks are split) for its pointer width; 'tinyfit targets' lists the boards")
    String target;

    /** The budget, resolved against the command's {@code --pointer-bytes} (an explicit width must match the board's). */
    Optional<Budget> resolve(PointerBytesOption pointer) {
        boolean explicit = spec.commandLine().getParseResult().hasMatchedOption("--pointer-bytes");
        return Budget.of(budget, target, explicit ? Optional.of(pointer.value()) : Optional.empty(), pointer.value());
    }

    /** The pointer width the command reports for: the budget's (the board's) when there is one. */
    static int pointerBytes(Optional<Budget> budget, PointerBytesOption pointer) {
        return budget.map(Budget::pointerBytes).orElseGet(pointer::value);
    }

    /** The report's fit table: the budget (the board, or the --budget figure) first, then the generic sizes. */
    static List<FitTarget> reportTargets(Optional<Budget> budget) {
        List<FitTarget> out = new ArrayList<>();
        budget.ifPresent(b -> out.add(new FitTarget(b.board() != null ? b.board().name() : "--budget", b.bytes())));
        out.addAll(FitTarget.genericSizes());
        return out;
    }
}
