package io.tinyfit.verify;

import io.tinyfit.model.Graph;
import io.tinyfit.model.Op;

/**
 * The trace method: run the operator's kernel once through tracing views of I and O (disjoint), record the byte
 * address of every read of I and write of O in program order, and derive the smallest safe delta from that
 * stream ({@link LagMeter}). Exact for this operator's shapes and parameters, for the kernel that runs, and the
 * kernels follow TFLM's reference loop order ({@link AccessOrders} checks that), so it is the bound the
 * verifier recomputes and trusts.
 */
public final class TraceMethod {
    /** Seed of the trace run's inputs; kernels with data-independent access order trace the same on any. */
    public static final int SEED = 0x7ACE;

    private TraceMethod() {}

    /** A traced bound: the smallest safe delta (capped at the output's size) and how many accesses it saw. */
    public record Trace(long minDeltaBytes, long reads, long writes) {}

    /**
     * @param inputIndex  operand position of I in the operator's inputs
     * @param outputIndex operand position of O in the operator's outputs
     */
    public static Trace of(Graph g, int opIndex, int inputIndex, int outputIndex) {
        Op op = g.ops().get(opIndex);
        int in = op.input(inputIndex);
        int out = op.output(outputIndex);
        LagMeter meter = new LagMeter();
        long outBytes = g.tensor(out).bytes();
        new SingleStep(g, opIndex).run(in, out, SingleStep.alignUp(outBytes), SEED, meter.inputReads, meter.outputWrites);
        return new Trace(Math.min(meter.minDelta(), outBytes), meter.reads(), meter.writes());
    }

    public static long minDelta(Graph g, int opIndex, int inputIndex, int outputIndex) {
        return of(g, opIndex, inputIndex, outputIndex).minDeltaBytes();
    }
}
