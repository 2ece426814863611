package io.tinyfit.layout;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Sweep of every strategy over model-shaped and random instances of about 200 buffers: arena
 * size relative to the overlap-aware lower bound, and wall time. Not a unit test (too slow for
 * the test run); run it by hand:
 *
 * <pre>
 * mvn -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp target/classes:target/test-classes:$(cat target/cp.txt) io.tinyfit.layout.PlannerBenchmark [instances] [exactSeconds]
 * </pre>
 */
public final class PlannerBenchmark {

    private PlannerBenchmark() {
    }

    public static void main(String[] args) {
        int instances = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Duration exactLimit = Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 10);
        Map<String, IntFunction<MemoryPlanner>> heuristics = new LinkedHashMap<>();
        heuristics.put("tflm-greedy", TflmGreedyPlanner::new);
        heuristics.put("tflm-greedy+dmo", TflmGreedyDmoPlanner::new);
        heuristics.put("greedy-size-bestfit", GreedyBySizeBestFit::new);
        heuristics.put("greedy-conflicts", GreedyByConflicts::new);
        heuristics.put("iterated-local-search", IteratedLocalSearch::new);

        // warm up the JIT so the first instance's timings mean something
        for (int i = 0; i < 3; i++) {
            LayoutProblem warm = RandomProblems.modelLike(1000 + i, 160, 16, true);
            heuristics.values().forEach(f -> Planners.plan(f, warm));
        }
        for (String family : List.of("model-like+DMO", "model-like", "random")) {
            System.out.printf("%n== %s ==%n", family);
            System.out.printf("%-6s %-5s %-9s %-24s %-12s %-9s %s%n",
                    "seed", "bufs", "lb", "strategy", "arena", "gap%", "ms");
            for (int seed = 0; seed < instances; seed++) {
                LayoutProblem p = switch (family) {
                    case "model-like+DMO" -> RandomProblems.modelLike(seed, 160, 16, true);
                    case "model-like" -> RandomProblems.modelLike(seed, 160, 16, false);
                    default -> RandomProblems.random(seed, 200, 60, 40_000, 16, false, false);
                };
                long lb = LowerBound.overlapAware(p);
                Layout best = null;
                for (Map.Entry<String, IntFunction<MemoryPlanner>> h : heuristics.entrySet()) {
                    long t0 = System.nanoTime();
                    Layout l = Planners.plan(h.getValue(), p);
                    long ms = (System.nanoTime() - t0) / 1_000_000;
                    print(seed, p, lb, h.getKey(), l.arenaSize(), ms, LayoutChecker.check(p, l).valid());
                    if (best == null || l.arenaSize() < best.arenaSize()) {
                        best = l;
                    }
                }
                ExactResult exact = ExactChocoPlanner.solve(p, best, exactLimit);
                print(seed, p, lb, "exact-choco (" + exact.status() + ")", exact.layout().arenaSize(),
                        exact.elapsed().toMillis(), LayoutChecker.check(p, exact.layout()).valid());
            }
        }
    }

    private static void print(int seed, LayoutProblem p, long lb, String name, long arena, long ms, boolean valid) {
        System.out.printf("%-6d %-5d %-9d %-24s %-12d %-9.2f %d%s%n", seed, p.bufferCount(), lb, name, arena,
                100.0 * (arena - lb) / lb, ms, valid ? "" : "  INVALID");
    }
}
