package io.tinyfit.schedule;

import io.tinyfit.layout.PlannerSuite;
import io.tinyfit.model.Graph;
import io.tinyfit.plan.TflmBaseline;
import io.tinyfit.tflite.ModelReader;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Runs {@link OrderSearch} over a folder of {@code .tflite} models and prints one table row per model; the sweep
 * that is too slow for unit tests (e.g. with the whole {@link PlannerSuite} per candidate).
 *
 * <pre>
 * java -cp target/classes:... io.tinyfit.schedule.OrderSearchBenchmark ../shared/models [--suite] [--repeat N]
 * </pre>
 */
public final class OrderSearchBenchmark {

    private OrderSearchBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: OrderSearchBenchmark MODELS_DIR [--suite] [--repeat N]");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        OrderSearch.Options options = OrderSearch.Options.defaults();
        int repeat = 1;
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("--suite")) options = options.withSuite(PlannerSuite.Options.quick());
            else if (args[i].equals("--repeat")) repeat = Integer.parseInt(args[++i]);
            else throw new IllegalArgumentException("unknown argument " + args[i]);
        }
        List<Path> models;
        try (Stream<Path> s = Files.list(dir)) {
            models = s.filter(p -> p.toString().endsWith(".tflite")).sorted().toList();
        }
        PrintStream out = System.out;
        out.println(header());
        for (Path p : models) {
            Graph g = ModelReader.read(p);
            OrderSearch.Result r = null;
            long bestNanos = Long.MAX_VALUE;
            for (int k = 0; k < repeat; k++) {
                long t0 = System.nanoTime();
                r = OrderSearch.search(g, options);
                bestNanos = Math.min(bestNanos, System.nanoTime() - t0);
            }
            out.println(row(stem(p), g, r) + String.format(" %8.1f", bestNanos / 1e6));
        }
    }

    /** Column titles matching {@link #row}, plus the search time in milliseconds. */
    public static String header() {
        return String.format("%-36s %4s %10s %10s %10s %10s %10s  %-44s %-28s %8s", "model", "ops", "file-tflm",
                "file-best", "best-arena", "best-ws-lb", "min-ws-any", "winner (scheduler / planner)",
                "search status", "ms");
    }

    /**
     * model, op count, file-order TFLM baseline, file order's best layout, best order's placed arena, the working
     * set lower bound of that order, least working set over all orders (exact only), winner, search status.
     */
    public static String row(String model, Graph g, OrderSearch.Result r) {
        long baseline = TflmBaseline.plan(g).arenaBytes();
        ExactScheduler.Result e = r.exact();
        String status = e.status() + " (" + e.states() + " states)";
        long minAny = r.minPeakOverAllOrders();
        return String.format("%-36s %4d %10d %10d %10d %10d %10s  %-44s %-28s", model, g.ops().size(), baseline,
                r.fileOrder().arenaBytes(), r.arenaBytes(), r.workingSetLowerBound(),
                minAny < 0 ? "-" : Long.toString(minAny), shortLabel(r.scheduler()) + " / " + r.planner(), status);
    }

    /** {@code file+exact+...} as {@code file (+k same)}: the first scheduler and how many others agreed. */
    static String shortLabel(String schedulers) {
        String[] parts = schedulers.split("\\+");
        return parts.length == 1 ? parts[0] : parts[0] + " (+" + (parts.length - 1) + " same)";
    }

    private static String stem(Path p) {
        String n = p.getFileName().toString();
        return n.substring(0, n.length() - ".tflite".length());
    }
}
