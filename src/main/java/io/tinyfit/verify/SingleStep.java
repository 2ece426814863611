package io.tinyfit.verify;

import io.tinyfit.exec.AccessListener;
import io.tinyfit.exec.InputGenerator;
import io.tinyfit.exec.TracingView;
import io.tinyfit.kernels.ArenaView;
import io.tinyfit.kernels.ConstView;
import io.tinyfit.kernels.Kernel;
import io.tinyfit.kernels.KernelRegistry;
import io.tinyfit.kernels.OpContext;
import io.tinyfit.kernels.Preparation;
import io.tinyfit.kernels.View;
import io.tinyfit.layout.Alignment;
import io.tinyfit.model.DType;
import io.tinyfit.model.Graph;
import io.tinyfit.model.Op;
import io.tinyfit.model.Shape;
import io.tinyfit.model.Tensor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs one operator on its own, in a private arena, with its output O placed {@code delta} bytes below the start
 * of one input I (the DMO placement) and every other tensor and scratch buffer disjoint. Inputs come from the
 * golden-style generator with a given seed, so an overlapped run and a disjoint run see identical inputs. The
 * views of I and O can be traced. This is the harness of the trace and search methods; it runs the very kernel
 * the interpreter runs.
 */
public final class SingleStep {
    private static final int ALIGN = 16;

    private final Graph graph;
    private final Op op;
    private final int opIndex;
    private final Kernel kernel;

    public SingleStep(Graph graph, int opIndex) {
        this.graph = graph;
        this.opIndex = opIndex;
        this.op = graph.ops().get(opIndex);
        this.kernel = KernelRegistry.forOp(graph, opIndex);
        kernel.prepare(new Preparation(graph, opIndex));
    }

    /** What one run produced: the bytes of every output, in output order. */
    public record Outcome(List<byte[]> outputs) {}

    /**
     * Runs the operator once.
     *
     * @param inputTensor  tensor I (an arena input of the operator)
     * @param outputTensor tensor O (an output of the operator)
     * @param delta        O starts {@code delta} bytes below I; {@code delta >= bytes(O)} means disjoint
     * @param seed         input generator seed
     * @param reads        listener for reads of I (all operand positions holding I)
     * @param writes       listener for writes of O
     */
    public Outcome run(int inputTensor, int outputTensor, long delta, int seed, AccessListener reads, AccessListener writes) {
        Tensor in = graph.tensor(inputTensor);
        Tensor out = graph.tensor(outputTensor);
        long outBytes = out.bytes();
        long clamped = Math.min(Math.max(0, delta), alignUp(outBytes));
        long inBase = alignUp(outBytes);
        long outBase = inBase - clamped;
        long next = alignUp(inBase + Math.max(in.bytes(), outBytes));
        // every other non-constant tensor of the op, then scratch buffers, each disjoint
        Set<Integer> others = new LinkedHashSet<>();
        for (int t : op.inputs()) if (t >= 0 && t != inputTensor && !graph.tensor(t).isConstant()) others.add(t);
        for (int t : op.outputs()) if (t != outputTensor) others.add(t);
        Map<Integer, Long> base = new HashMap<>();
        for (int t : others) {
            base.put(t, next);
            next = alignUp(next + graph.tensor(t).bytes());
        }
        List<Long> scratchSizes = kernel.scratchBytes(graph, op);
        List<Long> scratchBase = new ArrayList<>();
        for (long s : scratchSizes) {
            scratchBase.add(next);
            next = alignUp(next + s);
        }
        if (next > Integer.MAX_VALUE - 16) throw new IllegalStateException("operator " + opIndex + " is too large to run on its own");
        byte[] mem = new byte[(int) next];
        new java.util.SplittableRandom(seed * 31L + 7).nextBytes(mem);
        // inputs: I, then the other non-constant inputs; variable tensors start at their reset value
        int k = 0;
        for (int t : new LinkedHashSet<>(op.inputs())) {
            if (t < 0 || graph.tensor(t).isConstant()) continue;
            Tensor x = graph.tensor(t);
            long at = t == inputTensor ? inBase : base.get(t);
            byte[] data = x.variable() ? resetValue(x) : InputGenerator.fill(x, seed + 101 * (k++));
            System.arraycopy(data, 0, mem, (int) at, data.length);
        }
        Map<Integer, View> views = new HashMap<>();
        views.put(inputTensor, new TracingView(new ArenaView(mem, (int) inBase, in), reads));
        views.put(outputTensor, new TracingView(new ArenaView(mem, (int) outBase, out), writes));
        for (int t : others) views.put(t, new ArenaView(mem, (int) (long) base.get(t), graph.tensor(t)));
        OpContext ctx = new OpContext() {
            @Override public Graph graph() { return graph; }
            @Override public Op op() { return op; }
            @Override public int opIndex() { return opIndex; }
            @Override public View input(int i) {
                if (i >= op.inputs().size() || op.input(i) < 0) return null;
                int t = op.input(i);
                Tensor x = graph.tensor(t);
                return x.isConstant() ? new ConstView(x) : views.get(t);
            }
            @Override public View output(int i) { return views.get(op.output(i)); }
            @Override public View scratch(int i) {
                Tensor fake = new Tensor(-1, "scratch " + i, DType.INT8, Shape.of((int) (long) scratchSizes.get(i)), null, null, 0, null, false, false);
                return new ArenaView(mem, (int) (long) scratchBase.get(i), fake);
            }
        };
        kernel.eval(ctx);
        List<byte[]> outs = new ArrayList<>();
        for (int t : op.outputs()) {
            View v = views.get(t);
            byte[] b = new byte[v.byteSize()];
            System.arraycopy(mem, t == outputTensor ? (int) outBase : (int) (long) base.get(t), b, 0, b.length);
            outs.add(b);
        }
        return new Outcome(outs);
    }

    private static byte[] resetValue(Tensor x) {
        byte[] b = new byte[(int) x.bytes()];
        if (x.dtype() == DType.INT8) java.util.Arrays.fill(b, (byte) x.quant().zeroPoint());
        return b;
    }

    public static long alignUp(long v) { return Alignment.alignUp(v, ALIGN); }
}
