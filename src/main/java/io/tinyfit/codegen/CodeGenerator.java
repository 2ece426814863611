package io.tinyfit.codegen;

import io.tinyfit.model.Graph;
import io.tinyfit.model.Tensor;
import io.tinyfit.model.UnsupportedOperatorException;
import io.tinyfit.plan.Buffer;
import io.tinyfit.plan.Plan;
import io.tinyfit.plan.TflmBaseline;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Generates C that runs a plan on tinyfit's C runtime: {@code model.h}/{@code model.c} (one static arena of exactly
 * the plan's size, one function running the plan's steps in order at the plan's offsets, scratch buffers included),
 * {@code model_constants.c} (the weights as {@code const} arrays, the same for every plan of a model, so it is
 * compiled once), the runtime sources and a Makefile for the host driver.
 *
 * <p>The plan must be one tinyfit verified (as {@code tinyfit optimize} and {@code tinyfit codegen} do): the
 * generator reproduces it, it does not check it. Operators the C runtime has no kernel for are refused by name.
 */
public final class CodeGenerator {
    /** The name every generated file and symbol starts with. */
    public static final String PREFIX = "model";

    private CodeGenerator() {}

    public static GeneratedCode generate(Plan plan) {
        Graph g = plan.graph();
        if (!plan.isWholeOperators()) {
            throw new UnsupportedOperatorException(g.source() + ": plan '" + plan.planner() + "' has region, accumulate or copy steps or several banks; "
                    + "the generated C runs whole-operator plans only so far");
        }
        requireKernels(g);
        requireArenaOnly(g);
        ConstantsFile constants = new ConstantsFile(g, PREFIX);
        List<ModelSource.Step> steps = steps(plan, constants);
        ModelSource model = new ModelSource(plan, PREFIX);
        String description = plan.planner() + ", " + plan.stepCount() + " steps, arena " + plan.arenaBytes() + " bytes, "
                + plan.overlaps().size() + " input/output overlaps";
        Map<String, byte[]> files = new LinkedHashMap<>();
        put(files, PREFIX + "_api.h", ModelSource.api(PREFIX));
        put(files, PREFIX + ".h", model.header());
        put(files, PREFIX + ".c", model.source(steps, description));
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
        steps(TflmBaseline.plan(g), new ConstantsFile(g, PREFIX));
    }

    /** The operator kinds the C runtime covers (each also checks its variant: types, ranks, constant operands). */
    public static Set<String> kinds() { return CKernels.kinds(); }

    private static List<ModelSource.Step> steps(Plan plan, ConstantsFile constants) {
        Map<Integer, Buffer> buffers = plan.tensorBuffers();
        List<ModelSource.Step> out = new ArrayList<>();
        for (int s = 0; s < plan.stepCount(); s++) {
            StepWriter w = new StepWriter(plan, s, constants, buffers);
            CKernels.forOp(w.op(), w.opIndex()).emit(w);
            out.add(new ModelSource.Step(s, ModelSource.describe(s, plan), w.declarations(), w.statement()));
        }
        return out;
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
