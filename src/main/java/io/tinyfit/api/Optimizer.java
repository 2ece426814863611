package io.tinyfit.api;

import io.tinyfit.arena.ArenaByWidth;
import io.tinyfit.arena.ArenaEstimate;
import io.tinyfit.arena.KernelTarget;
import io.tinyfit.dmo.DmoPass;
import io.tinyfit.dmo.DmoSummary;
import io.tinyfit.kernels.GraphPreparation;
import io.tinyfit.layout.PlannerSuite;
import io.tinyfit.model.Graph;
import io.tinyfit.place.LayoutPass;
import io.tinyfit.plan.Bank;
import io.tinyfit.plan.Buffer;
import io.tinyfit.plan.Deployability;
import io.tinyfit.plan.LibraryPlans;
import io.tinyfit.plan.Liveness;
import io.tinyfit.plan.Pass;
import io.tinyfit.plan.PassContext;
import io.tinyfit.plan.Plan;
import io.tinyfit.plan.Plans;
import io.tinyfit.plan.TflmBaseline;
import io.tinyfit.schedule.Ordering;
import io.tinyfit.schedule.ReorderPass;
import io.tinyfit.tflite.ModelWriter;
import io.tinyfit.tflite.OfflineMemoryAllocation;
import io.tinyfit.tflite.TflmLint;
import io.tinyfit.tflite.TinyfitMarker;
import io.tinyfit.verify.ExecutionCheck;
import io.tinyfit.verify.FilePlan;
import io.tinyfit.verify.PlanVerifier;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The optimisation pipeline: start from TFLM's own plan, let each selected pass rewrite and re-place it (in rank
 * order), check every plan a pass returns with the static verifier, keep TFLM's plan when nothing was gained,
 * then prove the chosen plan by execution and ask each pass to explain itself. Keeping the graph inputs intact
 * ({@link OptimizeOptions#keepInputs}) is a stricter promise than TFLM makes: there the starting plan is TFLM's
 * greedy placement with the inputs kept, which may exceed TFLM's own arena by up to the inputs' size.
 */
public final class Optimizer {
    public static final String REORDER = ReorderPass.NAME;
    public static final String LAYOUT = LayoutPass.NAME;
    public static final String DMO = DmoPass.NAME;

    private Optimizer() {}

    /** One pass as it ran: the arena of the plan it returned. */
    public record PassRun(String pass, long arenaBytes) {}

    /**
     * @param baseline     TFLM's plan of the model as read
     * @param plan         the chosen plan; its graph has the operators in the plan's order
     * @param ordering     the chosen plan's operator order, as indices of the model as read
     * @param layoutRun    the placement run behind the chosen plan, null when no pass placed it
     * @param check        the execution check of the chosen plan
     * @param explanations what each pass did, by pass name
     * @param lint         TFLM's load-time checks on the file {@link #modelBytes} makes
     * @param baselineArena the whole TFLM arena of the model as read (its greedy head)
     * @param arena        the whole TFLM arena of the written model: its head changes, its tail only if operators did
     * @param filePlan     whether the original file carried an offline plan, and whether it verified (an unsafe one
     *                     is not the baseline: TFLM's online plan is)
     * @param executionBlocker why the plan can never be executed (an operator without a tinyfit kernel), naming the
     *                     operator; null when it can. Such a plan is verified statically only and says so
     */
    public record Result(Plan baseline, Plan plan, Ordering ordering, PlannerSuite.Result layoutRun, long lowerBoundBytes,
                         ExecutionCheck.Result check, List<PassRun> passes, Map<String, Object> explanations, TflmLint.Report lint,
                         ArenaByWidth baselineArena, ArenaByWidth arena, FilePlan.Status filePlan, String executionBlocker,
                         Plan written, ArenaByWidth writtenArena) {
        public Result {
            passes = List.copyOf(passes);
            explanations = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(explanations));
        }

        /** Verified statically and by execution. Never true for a plan that cannot be executed. */
        public boolean verified() { return check != null && check.passed(); }

        /** False when an operator has no tinyfit kernel ({@link #executionBlocker}): the plan is checked statically only. */
        public boolean executable() { return executionBlocker == null; }

        /** The plan with its execution check done (a no-op when done, or when the plan cannot be executed). */
        public Result checked() {
            if (check != null || !executable()) return this;
            return new Result(baseline, plan, ordering, layoutRun, lowerBoundBytes, ExecutionCheck.run(plan), passes, explanations, lint,
                    baselineArena, arena, filePlan, executionBlocker, written, writtenArena);
        }

        /** How the plan was verified, for people: by execution, statically only (and why), or not yet executed. */
        public String verification() {
            if (check != null) return check.describe();
            if (!executable()) return "statically only; unverified by execution: " + executionBlocker;
            return "statically; not yet executed";
        }

        /** The model in the plan's operator order (the written file adds the offline plan to it). */
        public Graph graph() { return plan.graph(); }

        /** DMO's per-step account, null when DMO did not run. */
        public DmoSummary dmo() { return (DmoSummary) explanations.get(DMO); }

        public Deployability deployability() { return Deployability.of(plan(), graph(), lint); }

        /**
         * The tensors' offsets: what the written file's offline plan says. A plan over regions (tiles, slices,
         * spills) has no place in a TFLM offline plan, whose tensors live whole from their producer to their last
         * reader: the file then carries {@link #written}, the best whole-operator plan of the same passes.
         */
        public Map<Integer, Long> offlineOffsets() { return tensorOffsets(written); }

        /** True when the written file carries a plan other than {@link #plan} (which then needs tinyfit's generated C). */
        public boolean writesAnotherPlan() { return written != plan; }

        /**
         * The marker the written file carries. Its plan assumes the kernel library of the options (TFLM's reference
         * kernels by default): the arena figures (scratch buffers, kernel op data) are that library's, and DMO overlaps
         * are only at operators whose loop order is the reference kernels' (proven there).
         */
        public TinyfitMarker marker() { return Optimizer.marker(writtenArena); }

        /** The {@code .tflite} for this plan, as {@link #write} writes it. */
        public byte[] modelBytes() { return ModelWriter.toBytes(written.graph(), offlineOffsets(), marker()); }

        /** The bytes {@link #write} would write to {@code file}, after the same lint, for writing them with other outputs. */
        public byte[] writableBytes(Path file) { return ModelWriter.writable(modelBytes(), file.toString()); }

        /** Writes the {@code .tflite} atomically, after TFLM's load-time lint (see {@link ModelWriter#write}). */
        public void write(Path file) { ModelWriter.write(written.graph(), offlineOffsets(), marker(), file); }
    }

    static TinyfitMarker marker(ArenaByWidth arena) {
        return new TinyfitMarker(TinyfitMarker.VERSION, arena.kernels(),
                arena.forPointerBytes(4).map(ArenaEstimate::predictedMinBytes).orElse(-1L),
                arena.forPointerBytes(8).map(ArenaEstimate::predictedMinBytes).orElse(-1L));
    }

    /** The best plan of the selected passes, verified statically and by execution (see {@link Result#checked}). */
    public static Result optimize(Graph original, OptimizeOptions options) {
        return plan(original, options).checked();
    }

    /**
     * The best plan of the selected passes, verified statically only: the plan search executes only the plans it
     * may choose. An operator without a tinyfit kernel does not stop planning: its plans are verified statically,
     * labelled so ({@link Result#executionBlocker}) and never executed.
     */
    public static Result plan(Graph original, OptimizeOptions options) {
        // no overlap analysis, order search or layout sees an operator that did not pass its preparation; one
        // tinyfit has no kernel for passed the load-time checks and only blocks execution
        String blocker = GraphPreparation.executionBlocker(original, Plans.fileOrder(original)).orElse(null);
        // the file's own plan is the baseline only when it verified; an unsafe one never yields a saving
        FilePlan.Check filePlan = FilePlan.check(original);
        Plan baseline = filePlan.status() == FilePlan.Status.UNSAFE ? TflmBaseline.online(original, Plans.fileOrder(original)) : filePlan.plan();
        KernelTarget kernels = options.kernels();
        // another kernel library: TFLM's plan holds that library's scratch buffers (the reference kernels run on
        // tinyfit's interpreter never ask for them, so the plan still executes); the passes place them too
        if (!kernels.isReference() && filePlan.status() != FilePlan.Status.UNSAFE) baseline = LibraryPlans.baseline(original, kernels);
        // what is left when nothing beats it: TFLM's own plan, or with kept inputs TFLM's greedy placement of them
        Plan start = options.keepInputs() ? TflmBaseline.keepingInputs(original, Plans.fileOrder(original)) : baseline;
        PassContext ctx = new PassContext(original, options.layout(), options.keepInputs());
        // the kernel library: DMO reads it to stay off the operators whose access order is the library's
        ctx.share(KernelTarget.class, options.kernels());
        List<Pass> passes = new ArrayList<>();
        for (String name : options.methods()) passes.add(PassRegistry.create(name, options));
        passes.sort(Comparator.comparingInt(Pass::rank).thenComparing(Pass::name));
        for (Pass p : passes) p.prepare(ctx);

        Plan plan = start;
        Plan lastWhole = start;
        PlannerSuite.Result placement = null;
        List<PassRun> runs = new ArrayList<>();
        for (Pass p : passes) {
            Pass.Outcome out = p.apply(plan, ctx);
            if (out.plan() == plan && !plan.isWholeOperators()) {
                // a pass that rewrites whole operators (tiling after partial execution, say) leaves a plan over
                // regions alone: it gets the best whole-operator plan too, and the smaller of the two plans stays
                Pass.Outcome alt = p.apply(lastWhole, ctx);
                if (alt.plan() != lastWhole && alt.plan().arenaBytes() < plan.arenaBytes()) out = alt;
            }
            if (out.plan() != plan) {
                plan = PlanVerifier.check(out.plan());
                if (out.placement() != null) placement = out.placement();
            }
            if (plan.isWholeOperators()) lastWhole = plan;
            runs.add(new PassRun(p.name(), plan.arenaBytes()));
        }
        // heuristics are not monotone: nothing gained means TFLM's own order and placement, which it reproduces anyway
        if (headFor(plan, kernels) >= headFor(start, kernels)) plan = start;

        Map<String, Object> explanations = new HashMap<>();
        Ordering ordering = null;
        for (Pass p : passes) {
            Object why = p.explain(plan, ctx);
            if (why != null) explanations.put(p.name(), why);
            if (why instanceof Ordering o) ordering = o;
        }
        if (plan.graph() == original || ordering == null) ordering = Ordering.fileOrder(original.ops().size(), ordering == null || ordering.exact());
        // with overlaps the working set is no longer a bound; the overlap-aware bound of the layout problem is
        // a plan over regions frees bytes before whole buffers die: its working set is counted byte by byte
        long workingSet = plan.isWholeOperators() ? plan.peakLiveBytes() : Liveness.of(plan).peakBytes(Bank.SRAM);
        long lowerBound = plan.overlaps().isEmpty() || placement == null ? workingSet : Math.min(workingSet, placement.lowerBound());
        Map<Integer, Long> offsets = tensorOffsets(plan);
        // the whole arena of the file as TFLM loads it: the offline plan fixes the head
        ArenaByWidth arena = ArenaByWidth.of(OfflineMemoryAllocation.attach(plan.graph(), offsets), plan.arenaBytes());
        ArenaByWidth baselineArena = ArenaByWidth.of(original, baseline.arenaBytes());
        if (!options.kernels().isReference()) {
            // another library: its scratch buffers, placed by TFLM around the file's fixed tensors (estimates)
            KernelTarget k = options.kernels();
            arena = ArenaByWidth.of(OfflineMemoryAllocation.attach(plan.graph(), offsets), LibraryPlans.head(plan, k), k);
            baselineArena = ArenaByWidth.of(original, LibraryPlans.baseline(original, k).arenaBytes(), k);
        }
        // the file: a plan over regions cannot be a TFLM offline plan; the best whole-operator plan of the passes is
        Plan written = plan.isWholeOperators() ? plan : headFor(lastWhole, kernels) < headFor(start, kernels) ? lastWhole : start;
        ArenaByWidth writtenArena = arena;
        Map<Integer, Long> writtenOffsets = offsets;
        if (written != plan) {
            writtenOffsets = tensorOffsets(written);
            Graph wg = OfflineMemoryAllocation.attach(written.graph(), writtenOffsets);
            writtenArena = kernels.isReference() ? ArenaByWidth.of(wg, written.arenaBytes()) : ArenaByWidth.of(wg, LibraryPlans.head(written, kernels), kernels);
        }
        TflmLint.Report lint = TflmLint.check(ModelWriter.toBytes(written.graph(), writtenOffsets, marker(writtenArena)), original.source());
        return new Result(baseline, plan, ordering, placement, lowerBound, null, runs, explanations, lint,
                baselineArena, arena, filePlan.status(), blocker, written, writtenArena);
    }

    /** The head TFLM plans for the plan's file: the plan's own arena, or with another library TFLM's placement of its scratch. */
    private static long headFor(Plan p, KernelTarget kernels) {
        return kernels.isReference() ? p.arenaBytes() : LibraryPlans.head(p, kernels);
    }

    private static Map<Integer, Long> tensorOffsets(Plan p) {
        Map<Integer, Long> offsets = new HashMap<>();
        for (Buffer b : p.buffers()) if (b.kind() == Buffer.Kind.TENSOR) offsets.put(b.tensor(), b.offset());
        return offsets;
    }
}
