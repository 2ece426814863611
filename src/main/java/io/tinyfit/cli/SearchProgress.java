package io.tinyfit.cli;

import io.tinyfit.api.PlanSearch;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/**
 * The plan search's progress for people, always on standard error so that a JSON document on standard output stays
 * clean: a progress bar (me.tongfei:progressbar) when standard error is a terminal, one plain line per method set
 * when it is a pipe or a log file.
 */
final class SearchProgress {
    private SearchProgress() {}

    /** One line per method set: which set starts, then what its plan needs. */
    static PlanSearch.Progress lines(PrintWriter err) {
        return new PlanSearch.Progress() {
            @Override public void trying(int index, int total, List<String> methods) {
                err.printf("tinyfit: method set %d/%d: %s%n", index + 1, total, label(methods));
                err.flush();
            }

            @Override public void tried(PlanSearch.Candidate c) {
                err.println("tinyfit:   " + outcome(c));
                err.flush();
            }

            @Override public void executing(PlanSearch.Candidate c) {
                err.println("tinyfit:   verifying " + c.label() + " by execution");
                err.flush();
            }
        };
    }

    /** A bar over the method sets, its message the set running; closed when the last set's plan is in. */
    static PlanSearch.Progress bar() {
        return new PlanSearch.Progress() {
            private ProgressBar bar;

            @Override public void trying(int index, int total, List<String> methods) {
                if (bar == null) {
                    bar = new ProgressBarBuilder().setTaskName("optimize").setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
                            .setConsumer(new ConsoleProgressBarConsumer(System.err)).setUpdateIntervalMillis(200).continuousUpdate().build();
                }
                bar.stepTo(index);
                bar.setExtraMessage(" " + label(methods));
            }

            @Override public void tried(PlanSearch.Candidate c) {
                bar.step();
                bar.setExtraMessage(" " + c.label() + ": " + String.format(Locale.ROOT, "%,d B", c.neededBytes()));
                if (bar.getCurrent() >= bar.getMax()) close();
            }

            @Override public void executing(PlanSearch.Candidate c) {
                close();
            }

            @Override public void done() {
                close();
            }

            private void close() {
                if (bar != null) bar.close();
                bar = null;
            }
        };
    }

    private static String label(List<String> methods) { return methods.isEmpty() ? "none" : String.join(",", methods); }

    /** What one method set's plan needs, as the summary's search table says it. */
    static String outcome(PlanSearch.Candidate c) {
        return String.format(Locale.ROOT, "%s: %,d B%s, %s, MAC +%.1f%%, %,d B moved, %.1f s%s", c.label(), c.neededBytes(),
                c.wholeArena() ? " whole arena" : " (plan arena; TFLM has no whole-arena figure)", c.deployability().label(), c.macOverheadPct(),
                c.transferBytes(), c.seconds(), c.eligible() ? "" : "; not chosen: " + c.rejection());
    }
}
