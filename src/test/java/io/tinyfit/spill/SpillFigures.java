package io.tinyfit.spill;

import io.tinyfit.api.OptimizeOptions;
import io.tinyfit.api.Optimizer;
import io.tinyfit.api.PlanCost;
import io.tinyfit.model.Graph;
import io.tinyfit.plan.TflmBaseline;
import io.tinyfit.testing.Shared;
import io.tinyfit.tflite.ModelReader;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The acceptance figures (not part of the test run: {@code mvn -o -q test -Dtest=SpillFigures}): for every
 * shared model, the SRAM head spill, split and both reach for a budget of 50 % of TFLM's head, with the transfer
 * bytes and estimated time (default PSRAM, unmapped) and, for the same spills in a mapped PSRAM, the direct-access
 * time; each plan verified statically and by execution. Written to {@code target/spill-figures.tsv}
 * ({@code -Dspill.models=REGEX} measures some models only, {@code -Dspill.out=FILE} writes elsewhere).
 */
class SpillFigures {
    @Test
    void figures() throws Exception {
        Shared.assume();
        List<String> rows = new ArrayList<>();
        rows.add("model\ttflm_head\tbudget\tmethods\tsram\tsaving_pct\tbudget_met\ttransfer_bytes\ttransfer_ms\tdirect_ms\tmac_overhead_pct\tverified\tspills\tsplits");
        String only = System.getProperty("spill.models", ".*");
        for (Path m : Shared.modelFiles()) {
            if (!Shared.stem(m).matches(only)) continue;
            Graph g = ModelReader.read(m);
            long head = TflmBaseline.plan(g).arenaBytes();
            long budget = head / 2;
            for (String[] methods : new String[][] {{"spill"}, {"split"}, {"split", "spill"}, {"split", "spill", "mapped"}}) {
                boolean mapped = methods[methods.length - 1].equals("mapped");
                String[] passes = mapped ? java.util.Arrays.copyOf(methods, methods.length - 1) : methods;
                SpillOptions mem = new SpillOptions(List.of(Memory.parse(Memory.DEFAULT + (mapped ? ":mapped" : ":unmapped"))), budget, Double.POSITIVE_INFINITY);
                String row;
                try {
                    Optimizer.Result r = Optimizer.optimize(g, OptimizeOptions.of(passes).withMemory(mem));
                    long sram = r.plan().arenaBytes();
                    SpillSummary s = r.plan().banks().size() > 1 ? (SpillSummary) r.explanations().get(SpillPass.NAME) : null;
                    SplitPass.Summary sp = (SplitPass.Summary) r.explanations().get(SplitPass.NAME);
                    row = String.format(Locale.ROOT, "%s\t%d\t%d\t%s\t%d\t%.1f\t%s\t%d\t%.3f\t%.3f\t%.1f\t%s\t%d\t%d", Shared.stem(m), head, budget,
                            String.join(",", methods), sram, 100.0 * (head - sram) / head, sram <= budget, PlanCost.transferBytes(r.plan()),
                            s == null ? 0 : s.transferMs(), s == null ? 0 : s.directMs(), PlanCost.macOverheadPct(r.plan()),
                            r.verified() ? "yes" : r.verification(), s == null ? 0 : s.spills().size(), sp == null || sp.arenaAfter() >= sp.arenaBefore() ? 0 : sp.splits().size());
                } catch (RuntimeException e) {
                    row = Shared.stem(m) + "\t" + head + "\t" + budget + "\t" + String.join(",", methods) + "\terror: " + e;
                }
                System.out.println(row);
                rows.add(row);
                Files.createDirectories(Path.of("target"));
                Files.write(Path.of(System.getProperty("spill.out", "target/spill-figures.tsv")), rows);
            }
        }
    }
}
