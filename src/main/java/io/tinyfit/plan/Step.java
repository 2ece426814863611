package io.tinyfit.plan;

import io.tinyfit.model.Region;

import java.util.Arrays;
import java.util.List;

/**
 * One kernel call of a plan (DESIGN.md, "steps over regions"): an operator applied to an output region, or a copy
 * of a region between buffers. It names the buffers it reads and writes, so that a tensor may live in several
 * buffers (tiles of it, a copy in another bank) and every step says which one it means.
 *
 * @param op          operator index into the graph's operators; -1 for a copy
 * @param region      the output region computed (compute, finish), accumulated into (accumulate) or moved (copy), in
 *                    the output tensor's global coordinates; null for the whole tensor
 * @param inChannels  for an accumulate step, the input channels {@code [lo, hi)} it consumes; else null
 * @param inputs      per operand of the operator, the buffer it is read from; -1 for a constant, an omitted operand or
 *                    a variable tensor (persistent state, outside the banks)
 * @param outputs     per output of the operator, the buffer written (compute, finish); empty otherwise
 * @param accumulator the accumulator buffer an accumulate step adds into or a finish step reads; -1 otherwise
 * @param from        a copy's source buffer, else -1
 * @param to          a copy's target buffer, else -1
 */
public record Step(StepKind kind, int op, Region region, int[] inChannels, List<Integer> inputs, List<Integer> outputs,
                   int accumulator, int from, int to) {

    public Step {
        inChannels = inChannels == null ? null : inChannels.clone();
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        if (kind == StepKind.COPY ? op != -1 || from < 0 || to < 0 : op < 0) {
            throw new IllegalArgumentException(kind.label() + " step with operator " + op + ", from " + from + ", to " + to);
        }
        if ((kind == StepKind.ACCUMULATE) != (inChannels != null)) throw new IllegalArgumentException("only an accumulate step consumes an input-channel slice");
        if ((kind == StepKind.ACCUMULATE || kind == StepKind.FINISH) != (accumulator >= 0)) {
            throw new IllegalArgumentException(kind.label() + " step with accumulator " + accumulator);
        }
    }

    /** The whole operator at once, reading and writing the given buffers. */
    public static Step compute(int op, List<Integer> inputs, List<Integer> outputs) {
        return new Step(StepKind.COMPUTE, op, null, null, inputs, outputs, -1, -1, -1);
    }

    /** The operator on one output region. */
    public static Step compute(int op, Region region, List<Integer> inputs, List<Integer> outputs) {
        return new Step(StepKind.COMPUTE, op, region, null, inputs, outputs, -1, -1, -1);
    }

    /** Input channels {@code [from, to)} of the operator's output region, added into accumulator buffer {@code acc}. */
    public static Step accumulate(int op, Region region, int from, int to, List<Integer> inputs, int acc) {
        return new Step(StepKind.ACCUMULATE, op, region, new int[] {from, to}, inputs, List.of(), acc, -1, -1);
    }

    /** Accumulator buffer {@code acc} finished into the operator's output region. */
    public static Step finish(int op, Region region, List<Integer> inputs, int acc, List<Integer> outputs) {
        return new Step(StepKind.FINISH, op, region, null, inputs, outputs, acc, -1, -1);
    }

    /** The region of a tensor moved from buffer {@code from} to buffer {@code to}. */
    public static Step copy(Region region, int from, int to) {
        return new Step(StepKind.COPY, -1, region, null, List.of(), List.of(), -1, from, to);
    }

    @Override public int[] inChannels() { return inChannels == null ? null : inChannels.clone(); }

    /** True for the whole operator in one call: the step of every plan before tiling. */
    public boolean isWholeCompute() { return kind == StepKind.COMPUTE && region == null; }

    @Override public boolean equals(Object o) {
        return o instanceof Step s && kind == s.kind && op == s.op && java.util.Objects.equals(region, s.region)
                && Arrays.equals(inChannels, s.inChannels) && inputs.equals(s.inputs) && outputs.equals(s.outputs)
                && accumulator == s.accumulator && from == s.from && to == s.to;
    }

    @Override public int hashCode() { return java.util.Objects.hash(kind, op, region, inputs, outputs, accumulator, from, to); }

    @Override public String toString() {
        return kind.label() + (op >= 0 ? " op " + op : "") + (region == null ? "" : " " + region)
                + (inChannels == null ? "" : " channels " + inChannels[0] + ".." + inChannels[1])
                + (kind == StepKind.COPY ? " buffer " + from + " -> " + to : "");
    }
}
