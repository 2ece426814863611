package io.tinyfit.cli;

import io.tinyfit.api.PlanSearch;
import io.tinyfit.targets.Budget;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.time.Duration;
import java.util.Collection;
import java.util.Optional;

/** How {@code optimize} searches its method sets (a picocli mixin): the MAC-overhead limit, the time limit, progress. */
final class SearchOptions {
    @Spec(Spec.Target.MIXEE)
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--max-mac-overhead", paramLabel = "PCT",
            description = "never choose a plan that repeats more multiply-accumulates than PCT percent of the model's (tiles recompute their halos; default: ${DEFAULT-VALUE})")
    double maxMacOverheadPct = 0;

    @Option(names = "--time-limit", paramLabel = "SECONDS",
            description = "start no further method set after SECONDS of wall time (the first always runs; the summary says what was left out); default: none")
    Double timeLimitSeconds;

    @Option(names = {"-q", "--quiet"}, description = "no progress on standard error (a bar on a terminal, plain lines otherwise)")
    boolean quiet;

    /** The search request; a negative or non-finite figure is a usage error. */
    PlanSearch.Request request(OptimizeSettings settings, Collection<String> methods, Optional<Budget> budget, int pointerBytes) {
        if (!(maxMacOverheadPct >= 0) || Double.isInfinite(maxMacOverheadPct)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--max-mac-overhead must be a finite percentage >= 0, not " + maxMacOverheadPct);
        }
        if (timeLimitSeconds != null && (!(timeLimitSeconds >= 0) || timeLimitSeconds.isInfinite())) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--time-limit must be a finite number of seconds >= 0, not " + timeLimitSeconds);
        }
        Duration limit = timeLimitSeconds == null ? null : Duration.ofMillis(Math.round(timeLimitSeconds * 1000));
        return new PlanSearch.Request(settings.options(), methods, maxMacOverheadPct, budget, pointerBytes, limit);
    }

    /** Progress on standard error: a bar on a terminal, plain lines when it is a pipe or a file, nothing with --quiet. */
    PlanSearch.Progress progress() {
        if (quiet) return PlanSearch.Progress.NONE;
        return Main.errIsTerminal() ? SearchProgress.bar() : SearchProgress.lines(spec.commandLine().getErr());
    }
}
