package io.tinyfit.exec;

import io.tinyfit.kernels.ArenaView;
import io.tinyfit.kernels.ConstView;
import io.tinyfit.kernels.GraphPreparation;
import io.tinyfit.kernels.Kernel;
import io.tinyfit.kernels.KernelRegistry;
import io.tinyfit.kernels.OpContext;
import io.tinyfit.kernels.View;
import io.tinyfit.model.DType;
import io.tinyfit.model.Graph;
import io.tinyfit.model.Op;
import io.tinyfit.model.Tensor;
import io.tinyfit.plan.Buffer;
import io.tinyfit.plan.Plan;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Runs a {@link Plan} step by step inside one {@code byte[]} whose length is exactly the plan's arena size,
 * every buffer at its planned offset. Variable (state) tensors live in a separate persistent area, as in
 * TFLM's tail, and {@link #resetState()} zeroes them. The arena starts as random bytes and every buffer is
 * overwritten with random bytes right after its last use (except what the caller reads afterwards: the outputs,
 * and the inputs a plan keeps), so a wrong offset or a lifetime that ends too early corrupts the result instead
 * of going unnoticed.
 */
public final class Interpreter {
    private final Plan plan;
    private final Graph graph;
    private final byte[] arena;
    private final byte[] persistent;
    private final Map<Integer, Integer> variableOffsets = new HashMap<>();
    private final Map<Integer, Buffer> tensorBuffers;
    private final Kernel[] kernels;
    private final SplittableRandom poison;
    /** Per step, the byte ranges {start, end} to poison after it ({@link DeadBytes}). */
    private final List<List<long[]>> poisonAfterStep = new ArrayList<>();

    public Interpreter(Plan plan) { this(plan, 0x7F1A_F17L); }

    public Interpreter(Plan plan, long poisonSeed) {
        this.plan = plan;
        this.graph = plan.graph();
        if (plan.arenaBytes() > Integer.MAX_VALUE - 16) throw new ExecutionException(graph.source() + ": arena of " + plan.arenaBytes() + " bytes is too large");
        this.arena = new byte[(int) plan.arenaBytes()];
        this.tensorBuffers = plan.tensorBuffers();
        for (Buffer b : plan.buffers()) {
            if (b.offset() < 0 || b.offset() + b.bytes() > arena.length) {
                throw new ExecutionException(graph.source() + ": buffer " + b.id() + " (" + b.name() + ") at [" + b.offset() + ", " + b.end() + ") lies outside the " + arena.length + "-byte arena");
            }
        }
        int persistentSize = 0;
        for (Tensor t : graph.tensors()) {
            if (t.variable() && !t.isConstant()) {
                variableOffsets.put(t.id(), persistentSize);
                persistentSize += (int) ((t.bytes() + 15) / 16 * 16);
            }
        }
        this.persistent = new byte[persistentSize];
        // every operator is prepared before the first one runs, as TFLM's AllocateTensors does
        GraphPreparation.forExecution(graph, plan.order());
        this.kernels = new Kernel[plan.stepCount()];
        for (int s = 0; s < plan.stepCount(); s++) kernels[s] = KernelRegistry.forOp(graph, plan.order().get(s));
        poisonAfterStep.addAll(DeadBytes.afterEachStep(plan));
        this.poison = new SplittableRandom(poisonSeed);
        fillRandom(arena, 0, arena.length);
        resetState();
    }

    public Plan plan() { return plan; }

    public int arenaLength() { return arena.length; }

    /**
     * Resets every variable tensor as TFLM's {@code ResetVariableTensors} does, e.g. between independent inputs:
     * int8 tensors to their zero point, everything else to zero bytes.
     */
    public void resetState() {
        java.util.Arrays.fill(persistent, (byte) 0);
        for (var e : variableOffsets.entrySet()) {
            Tensor t = graph.tensor(e.getKey());
            if (t.dtype() == DType.INT8) java.util.Arrays.fill(persistent, e.getValue(), e.getValue() + (int) t.bytes(), (byte) t.quant().zeroPoint());
        }
    }

    /** Runs once on raw little-endian input bytes (one array per graph input); returns each output's bytes. */
    public List<byte[]> run(List<byte[]> inputs) { return run(inputs, StepObserver.NONE); }

    public List<byte[]> run(List<byte[]> inputs, StepObserver observer) {
        List<Integer> in = graph.inputs();
        if (inputs.size() != in.size()) {
            throw new ExecutionException(graph.source() + ": model has " + in.size() + " inputs but " + inputs.size() + " were given");
        }
        for (int i = 0; i < in.size(); i++) {
            Tensor t = graph.tensor(in.get(i));
            byte[] data = inputs.get(i);
            if (data.length != t.bytes()) {
                throw new ExecutionException(graph.source() + ": input " + i + " (" + t.label() + ", " + t.dtype().label() + " " + t.shape()
                        + ") needs " + t.bytes() + " bytes but " + data.length + " were given");
            }
            if (t.variable()) {
                System.arraycopy(data, 0, persistent, variableOffsets.get(t.id()), data.length);
            } else {
                Buffer b = tensorBuffers.get(t.id());
                if (b != null) System.arraycopy(data, 0, arena, (int) b.offset(), data.length);
            }
        }
        for (int s = 0; s < plan.stepCount(); s++) {
            int opIndex = plan.order().get(s);
            Op op = graph.ops().get(opIndex);
            Context ctx = new Context(op, opIndex);
            if (observer != StepObserver.NONE) {
                List<View> ins = new ArrayList<>();
                for (int i = 0; i < op.inputs().size(); i++) ins.add(ctx.input(i));
                observer.beforeStep(s, opIndex, op, ins);
            }
            kernels[s].eval(ctx);
            if (observer != StepObserver.NONE) {
                List<View> outs = new ArrayList<>();
                for (int i = 0; i < op.outputs().size(); i++) outs.add(ctx.output(i));
                observer.afterStep(s, opIndex, op, outs);
            }
            for (long[] r : poisonAfterStep.get(s)) fillRandom(arena, (int) r[0], (int) (r[1] - r[0]));
        }
        List<byte[]> outputs = new ArrayList<>();
        for (int t : graph.outputs()) outputs.add(view(t).toByteArray());
        return outputs;
    }

    /**
     * The bytes tensor t's buffer holds now; after a run, what the caller would find there (a graph input the plan
     * keeps must still hold the data it was given).
     */
    public byte[] read(int t) { return view(t).toByteArray(); }

    /** The current view of tensor t: constant, persistent or arena. */
    View view(int t) {
        Tensor x = graph.tensor(t);
        if (x.isConstant()) return new ConstView(x);
        Integer p = variableOffsets.get(t);
        if (p != null) return new ArenaView(persistent, p, x);
        Buffer b = tensorBuffers.get(t);
        if (b == null) {
            if (x.bytes() == 0) return new ArenaView(arena, 0, x);
            throw new ExecutionException(graph.source() + ": tensor " + t + " (" + x.label() + ") has no buffer in the plan");
        }
        return new ArenaView(arena, (int) b.offset(), x);
    }

    private void fillRandom(byte[] a, int from, int len) {
        int end = from + len;
        int i = from;
        while (i + 8 <= end) {
            long r = poison.nextLong();
            for (int k = 0; k < 8; k++) a[i++] = (byte) (r >>> (8 * k));
        }
        while (i < end) a[i++] = (byte) poison.nextInt();
    }

    private final class Context implements OpContext {
        private final Op op;
        private final int opIndex;
        private List<Buffer> scratch;

        Context(Op op, int opIndex) {
            this.op = op;
            this.opIndex = opIndex;
        }

        @Override public Graph graph() { return graph; }
        @Override public Op op() { return op; }
        @Override public int opIndex() { return opIndex; }

        @Override public View input(int i) {
            if (i >= op.inputs().size() || op.input(i) < 0) return null;
            return view(op.input(i));
        }

        @Override public View output(int i) { return view(op.output(i)); }

        @Override public View scratch(int i) {
            if (scratch == null) scratch = plan.scratchOf(opIndex);
            if (i >= scratch.size()) throw unsupported("scratch buffer " + i + " was not planned");
            Buffer b = scratch.get(i);
            Tensor fake = new Tensor(-1, b.name(), DType.INT8, io.tinyfit.model.Shape.of((int) b.rawBytes()), null, null, 0, null, false, false);
            return new ArenaView(arena, (int) b.offset(), fake);
        }
    }
}
