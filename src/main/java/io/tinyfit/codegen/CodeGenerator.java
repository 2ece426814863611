package io.tinyfit.codegen;

import io.tinyfit.model.Graph;
import io.tinyfit.model.Tensor;
import io.tinyfit.model.UnsupportedOperatorException;
import io.tinyfit.plan.Bank;
import io.tinyfit.plan.Plan;
import io.tinyfit.plan.Step;
import io.tinyfit.plan.StepKind;
import io.tinyfit.plan.TflmBaseline;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Generates C that runs a plan on tinyfit's C runtime: {@code model.h}/{@code model.c} (one static arena of exactly
 * the plan's SRAM size, every slower bank as memory the application provides, one function running the plan's steps
 * in order at the plan's offsets, scratch buffers included), {@code model_constants.c} (the weights as {@code const}
 * arrays, the same for every plan of a model, so it is compiled once), the runtime sources and a Makefile for the
 * host driver.
 *
 * <p>Any plan over steps and regions: whole operators, operators over an output region (views over the buffers'
 * regions in the tensors' global coordinates), CONV_2D and FULLY_CONNECTED split into int32 accumulate steps over
 * input-channel slices and a finish step, and copies of regions between buffers and banks. The plan must be one
 * tinyfit verified (as {@code tinyfit optimize} and {@code tinyfit codegen} do): the generator reproduces it, it does
 * not check it. Operators (and step kinds) the C runtime has no kernel for are refused by name.
 */
public final class CodeGenerator {
    /** The name every generated file and symbol starts with. */
    public static final String PREFIX = "model";

    private CodeGenerator() {}

    public static GeneratedCode generate(Plan plan) {
        Graph g = plan.graph();
        requireKernels(g);
        requireArenaOnly(g);
        ConstantsFile constants = new ConstantsFile(g, PREFIX);
        BankLayout banks = BankLayout.of(plan);
        List<ModelSource.Step> steps = steps(plan, constants, banks);
        ModelSource model = new ModelSource(plan, PREFIX, banks);
        Map<String, byte[]> files = new LinkedHashMap<>();
        put(files, PREFIX + "_api.h", ModelSource.api(PREFIX));
        put(files, PREFIX + ".h", model.header());
        put(files, PREFIX + ".c", model.source(steps, description(plan)));
        put(files, PREFIX + "_constants.h", constants.header());
        put(files, PREFIX + "_constants.c", constants.source());
        files.putAll(RuntimeSources.files());
        put(files, "Makefile", RuntimeSources.makefile());
        return new GeneratedCode(files);
    }

    /** Refuses, naming the first operator the C runtime cannot run, before any planning effort is spent. */
    public static void requireSupported(Graph g) {
        requireKernels(g);
        requireArenaOnly(g);
        Plan baseline = TflmBaseline.plan(g);
        steps(baseline, new ConstantsFile(g, PREFIX), BankLayout.of(baseline));
    }

    /** The operator kinds the C runtime covers (each also checks its variant: types, ranks, constant operands). */
    public static Set<String> kinds() { return CKernels.kinds(); }

    /**
     * Every step's C. An accumulate step is the first slice into its accumulator region when no earlier accumulate
     * into the same accumulator and region is still open (not yet finished): it stores, later ones add, as in the
     * Java interpreter.
     */
    private static List<ModelSource.Step> steps(Plan plan, ConstantsFile constants, BankLayout banks) {
        List<ModelSource.Step> out = new ArrayList<>();
        Set<List<Object>> open = new HashSet<>();
        for (int s = 0; s < plan.stepCount(); s++) {
            Step st = plan.step(s);
            List<Object> key = Arrays.asList(st.accumulator(), st.region());
            boolean first = st.kind() == StepKind.ACCUMULATE && open.add(key);
            if (st.kind() == StepKind.FINISH) open.remove(key);
            StepWriter w = new StepWriter(plan, s, constants, banks, first);
            if (st.kind() == StepKind.COPY) {
                DataEmitters.copy(w, plan.buffers().get(st.from()), plan.buffers().get(st.to()));
            } else {
                StepEmitter e = CKernels.forOp(w.op(), w.opIndex());
                if (st.kind() != StepKind.COMPUTE && !CKernels.PARTIAL_SUMS.contains(w.op().kind())) {
                    throw w.refuse("no " + st.kind().label() + " step (the C runtime splits only " + String.join(" and ", new TreeSet<>(CKernels.PARTIAL_SUMS))
                            + " into partial sums)");
                }
                e.emit(w);
            }
            out.add(new ModelSource.Step(s, ModelSource.describe(s, plan), w.declarations(), w.statement()));
        }
        return out;
    }

    /** The plan in one line for the source's header comment. */
    private static String description(Plan plan) {
        Map<StepKind, Integer> kinds = new EnumMap<>(StepKind.class);
        int regions = 0;
        for (Step st : plan.steps()) {
            kinds.merge(st.kind(), 1, Integer::sum);
            if (st.kind() == StepKind.COMPUTE && !st.isWholeCompute()) regions++;
        }
        StringBuilder sb = new StringBuilder(plan.planner() + ", " + plan.stepCount() + " steps");
        if (!plan.isWholeOperators()) {
            sb.append(" (").append(regions).append(" over regions");
            for (StepKind k : List.of(StepKind.ACCUMULATE, StepKind.FINISH, StepKind.COPY)) {
                if (kinds.containsKey(k)) sb.append(", ").append(kinds.get(k)).append(' ').append(k.label());
            }
            sb.append(')');
        }
        sb.append(", arena ").append(plan.arenaBytes()).append(" bytes");
        for (Bank b : plan.banks()) if (!b.name().equals(Bank.SRAM)) sb.append(", bank ").append(b.name()).append(' ').append(b.bytes()).append(" bytes");
        return sb.append(", ").append(plan.overlaps().size()).append(" input/output overlaps").toString();
    }

    /** The first operator, in model order, whose kind has no C kernel at all is named before anything else. */
    private static void requireKernels(Graph g) {
        for (int i = 0; i < g.ops().size(); i++) CKernels.forOp(g.ops().get(i), i);
    }

    /** State (variable) tensors and several subgraphs belong to kernels the C runtime does not have yet. */
    private static void requireArenaOnly(Graph g) {
        if (g.subgraphs().size() > 1) throw new UnsupportedOperatorException(g.source() + ": models with several subgraphs are not supported by the C runtime");
        for (Tensor t : g.tensors()) {
            if (t.variable() && !t.isConstant()) {
                throw new UnsupportedOperatorException(g.source() + ": variable tensor " + t.id() + " (" + t.label() + ") needs state the C runtime does not keep");
            }
        }
    }

    private static void put(Map<String, byte[]> files, String name, String text) {
        files.put(name, text.getBytes(StandardCharsets.UTF_8));
    }
}
