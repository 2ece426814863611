package io.tinyfit.exec;

import io.tinyfit.kernels.ArenaView;
import io.tinyfit.kernels.ConstView;
import io.tinyfit.kernels.GraphPreparation;
import io.tinyfit.kernels.Kernel;
import io.tinyfit.kernels.KernelRegistry;
import io.tinyfit.kernels.OpContext;
import io.tinyfit.kernels.PartialSums;
import io.tinyfit.kernels.View;
import io.tinyfit.model.DType;
import io.tinyfit.model.Graph;
import io.tinyfit.model.Op;
import io.tinyfit.model.Region;
import io.tinyfit.model.Shape;
import io.tinyfit.model.Tensor;
import io.tinyfit.plan.Bank;
import io.tinyfit.plan.Buffer;
import io.tinyfit.plan.Liveness;
import io.tinyfit.plan.Plan;
import io.tinyfit.plan.Step;
import io.tinyfit.plan.StepAccesses;
import io.tinyfit.plan.StepKind;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Runs any {@link Plan} step by step, one {@code byte[]} per bank of exactly the bank's planned size, every buffer at
 * its planned offset in its bank. A step resolves its operands to the buffers its bindings name and hands the kernel
 * views over exactly the regions those buffers hold, in the tensor's global coordinates: a compute step computes its
 * output region, an accumulate step adds one input-channel slice into its accumulator, a finish step requantises the
 * accumulator into the output region, a copy moves a region between buffers (or banks).
 *
 * <p>Variable (state) tensors live in a separate persistent area, as in TFLM's tail, and {@link #resetState()} zeroes
 * them. Every bank starts as random bytes and, after each step, the bytes whose data no later step reads
 * ({@link DeadBytes}, derived from the steps' accesses, per byte) are overwritten with random bytes, except what the
 * caller reads afterwards (the outputs, and the inputs a plan keeps). So a wrong offset, a lifetime that ends too
 * early or a tile nobody computed corrupts the result instead of going unnoticed.
 */
public final class Interpreter {
    private final Plan plan;
    private final Graph graph;
    private final Map<String, byte[]> banks = new LinkedHashMap<>();
    private final byte[] persistent;
    private final Map<Integer, Integer> variableOffsets = new HashMap<>();
    private final Kernel[] kernels;
    /** Per accumulate step: true when it is the first slice into its accumulator region (it stores, later ones add). */
    private final boolean[] firstSlice;
    private final SplittableRandom poison;
    private final List<List<DeadBytes.Range>> poisonAfterStep;

    public Interpreter(Plan plan) { this(plan, 0x7F1A_F17L); }

    public Interpreter(Plan plan, long poisonSeed) {
        this.plan = plan;
        this.graph = plan.graph();
        for (Bank b : plan.banks()) {
            if (b.bytes() > Integer.MAX_VALUE - 16) throw new ExecutionException(graph.source() + ": bank " + b.name() + " of " + b.bytes() + " bytes is too large");
            banks.put(b.name(), new byte[(int) b.bytes()]);
        }
        for (Buffer b : plan.buffers()) {
            byte[] mem = banks.get(b.bank());
            if (mem == null) throw new ExecutionException(graph.source() + ": buffer " + b.id() + " (" + b.name() + ") lives in bank " + b.bank() + ", which the plan does not have");
            if (b.offset() < 0 || b.offset() + b.bytes() > mem.length) {
                throw new ExecutionException(graph.source() + ": buffer " + b.id() + " (" + b.name() + ") at [" + b.offset() + ", " + b.end() + ") lies outside the "
                        + mem.length + "-byte " + (b.bank().equals(Bank.SRAM) ? "arena" : "bank " + b.bank()));
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
        GraphPreparation.forExecution(graph, plan.order().stream().filter(op -> op >= 0).distinct().toList());
        this.kernels = new Kernel[plan.stepCount()];
        this.firstSlice = new boolean[plan.stepCount()];
        Map<List<Object>, Boolean> open = new HashMap<>();
        for (int s = 0; s < plan.stepCount(); s++) {
            Step st = plan.step(s);
            if (st.kind() == StepKind.COPY) continue;
            kernels[s] = KernelRegistry.forOp(graph, st.op());
            List<Object> key = Arrays.asList(st.accumulator(), st.region());
            if (st.kind() == StepKind.ACCUMULATE) firstSlice[s] = open.put(key, true) == null;
            if (st.kind() == StepKind.FINISH) open.remove(key);
        }
        this.poisonAfterStep = DeadBytes.perStep(plan, Liveness.of(plan));
        this.poison = new SplittableRandom(poisonSeed);
        for (byte[] mem : banks.values()) fillRandom(mem, 0, mem.length);
        resetState();
    }

    public Plan plan() { return plan; }

    /** The SRAM arena's length: the plan's arena size. */
    public int arenaLength() { return banks.get(Bank.SRAM).length; }

    /**
     * Resets every variable tensor as TFLM's {@code ResetVariableTensors} does, e.g. between independent inputs:
     * int8 tensors to their zero point, everything else to zero bytes.
     */
    public void resetState() {
        Arrays.fill(persistent, (byte) 0);
        for (var e : variableOffsets.entrySet()) {
            Tensor t = graph.tensor(e.getKey());
            if (t.dtype() == DType.INT8) Arrays.fill(persistent, e.getValue(), e.getValue() + (int) t.bytes(), (byte) t.quant().zeroPoint());
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
                Buffer b = plan.bufferOfTensor(t.id()).orElse(null);
                if (b != null) System.arraycopy(data, 0, banks.get(b.bank()), (int) b.offset(), data.length);
            }
        }
        for (int s = 0; s < plan.stepCount(); s++) {
            Step st = plan.step(s);
            if (st.kind() == StepKind.COPY) {
                copy(st);
                observer.afterCopy(s, st, bufferView(plan.buffers().get(st.to())));
            } else {
                runStep(s, st, observer);
            }
            for (DeadBytes.Range r : poisonAfterStep.get(s)) fillRandom(banks.get(r.bank()), (int) r.lo(), (int) (r.hi() - r.lo()));
        }
        List<byte[]> outputs = new ArrayList<>();
        for (int t : graph.outputs()) outputs.add(read(t));
        return outputs;
    }

    private void runStep(int s, Step st, StepObserver observer) {
        Op op = graph.ops().get(st.op());
        Context ctx = new Context(s, st, op);
        if (observer != StepObserver.NONE) {
            List<View> ins = new ArrayList<>();
            for (int i = 0; i < op.inputs().size(); i++) ins.add(ctx.input(i));
            observer.beforeStep(s, st.op(), op, ins);
        }
        switch (st.kind()) {
            case COMPUTE -> kernels[s].eval(ctx);
            case ACCUMULATE -> partialSums(s, op).accumulate(ctx, ctx.accumulator(), st.inChannels()[0], st.inChannels()[1], firstSlice[s]);
            case FINISH -> partialSums(s, op).finish(ctx, ctx.accumulator());
            default -> throw new IllegalStateException(st.kind().label());
        }
        if (observer != StepObserver.NONE && st.kind() != StepKind.ACCUMULATE) {
            List<View> outs = new ArrayList<>();
            for (int i = 0; i < op.outputs().size(); i++) outs.add(ctx.output(i));
            observer.afterStep(s, st.op(), op, outs);
        }
    }

    private PartialSums partialSums(int s, Op op) {
        if (kernels[s] instanceof PartialSums ps) return ps;
        throw new ExecutionException(graph.source() + ": step " + s + " accumulates partial sums of " + op.kind() + ", which has no accumulate/finish split");
    }

    /** A copy step: the region, element by element in row-major order, from one buffer's storage to the other's. */
    private void copy(Step st) {
        Buffer from = plan.buffers().get(st.from()), to = plan.buffers().get(st.to());
        View src = bufferView(from), dst = bufferView(to);
        Region r = st.region() != null ? st.region() : Region.whole(graph.tensor(from.tensor()).shape());
        int esize = src.dtype().bytes();
        if (r.isEmpty()) return;
        int[] x = r.lo();
        do {
            dst.copyBytes(dst.at(x) * esize, src, src.at(x) * esize, esize);
        } while (r.next(x, x.length));
    }

    /**
     * The bytes tensor t's whole buffer holds now; after a run, what the caller would find there (a graph input the
     * plan keeps must still hold the data it was given).
     */
    public byte[] read(int t) {
        Tensor x = graph.tensor(t);
        if (x.isConstant()) return new ConstView(x).toByteArray();
        Integer p = variableOffsets.get(t);
        if (p != null) return new ArenaView(persistent, p, x).toByteArray();
        Buffer b = plan.bufferOfTensor(t).orElse(null);
        if (b == null) {
            if (x.bytes() == 0) return new byte[0];
            throw new ExecutionException(graph.source() + ": tensor " + t + " (" + x.label() + ") has no whole buffer in the plan");
        }
        return bufferView(b).toByteArray();
    }

    /** The view of everything a tensor or accumulator buffer holds, in its tensor's coordinates. */
    private View bufferView(Buffer b) {
        byte[] mem = banks.get(b.bank());
        Tensor t = b.kind() == Buffer.Kind.ACCUMULATOR
                ? PartialSums.accumulatorTensor(graph.tensor(b.tensor()), StepAccesses.accumulatorType(graph, b.scratchOp()).orElse(DType.INT32))
                : graph.tensor(b.tensor());
        return b.region() == null ? new ArenaView(mem, (int) b.offset(), t) : new ArenaView(mem, (int) b.offset(), t, b.region());
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
        private final int step;
        private final Step st;
        private final Op op;
        private List<Buffer> scratch;

        Context(int step, Step st, Op op) {
            this.step = step;
            this.st = st;
            this.op = op;
        }

        @Override public Graph graph() { return graph; }
        @Override public Op op() { return op; }
        @Override public int opIndex() { return st.op(); }

        @Override public View input(int i) {
            if (i >= op.inputs().size() || op.input(i) < 0) return null;
            return operand(op.input(i), i < st.inputs().size() ? st.inputs().get(i) : -1, "reads");
        }

        @Override public View output(int i) {
            if (st.kind() == StepKind.ACCUMULATE) {
                // an accumulate step writes only its accumulator: the kernel sees the output's shape and quantisation, no bytes
                Tensor x = graph.tensor(op.output(i));
                return new ArenaView(new byte[0], 0, x, Region.empty(x.shape().rank()));
            }
            return operand(op.output(i), i < st.outputs().size() ? st.outputs().get(i) : -1, "writes");
        }

        @Override public Region outputRegion() {
            return st.region() != null ? st.region() : Region.whole(graph.tensor(op.output(0)).shape());
        }

        View accumulator() { return bufferView(plan.buffers().get(st.accumulator())); }

        /** Tensor t as this step binds it: a constant, a variable, or the buffer the step names. */
        private View operand(int t, int buffer, String verb) {
            Tensor x = graph.tensor(t);
            if (x.isConstant()) return new ConstView(x);
            Integer p = variableOffsets.get(t);
            if (p != null) return new ArenaView(persistent, p, x);
            if (buffer < 0) {
                if (x.bytes() == 0) return new ArenaView(new byte[0], 0, x);
                // a finish reads its accumulator, not the input: the kernel sees the input's quantisation, no bytes
                if (st.kind() == StepKind.FINISH) return new ArenaView(new byte[0], 0, x, Region.empty(x.shape().rank()));
                throw new ExecutionException(graph.source() + ": step " + step + " " + verb + " tensor " + t + " (" + x.label() + ") but binds no buffer to it");
            }
            return bufferView(plan.buffers().get(buffer));
        }

        @Override public View scratch(int i) {
            if (scratch == null) scratch = plan.scratchOf(st.op());
            if (i >= scratch.size()) throw unsupported("scratch buffer " + i + " was not planned");
            Buffer b = scratch.get(i);
            Tensor fake = new Tensor(-1, b.name(), DType.INT8, Shape.of((int) b.rawBytes()), null, null, 0, null, false, false);
            return new ArenaView(banks.get(b.bank()), (int) b.offset(), fake);
        }
    }
}
