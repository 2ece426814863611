package io.tinyfit.model;

import java.util.List;

/**
 * One operator of a subgraph. Input index -1 marks an omitted optional input.
 *
 * @param opcodeIndex   index into the model's operator-code table
 * @param kind          the operator name, e.g. {@code CONV_2D} (see {@link OpCode#name()})
 * @param customOptions raw custom options bytes (custom operators), empty when none
 * @param presence      which optional fields the file had ({@code inputs}, {@code outputs}, {@code builtin_options},
 *                      {@code custom_options}, {@code mutating_variable_inputs}, {@code intermediates})
 */
public record Op(int opcodeIndex, String kind, List<Integer> inputs, List<Integer> outputs, List<Integer> intermediates,
                 Options options, byte[] customOptions, int customOptionsFormat, boolean[] mutatingVariableInputs,
                 Presence presence) {

    public Op {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        intermediates = List.copyOf(intermediates);
        options = options == null ? Options.NONE : options;
        customOptions = customOptions == null ? new byte[0] : customOptions.clone();
        mutatingVariableInputs = mutatingVariableInputs == null ? new boolean[0] : mutatingVariableInputs.clone();
        presence = presence == null ? Presence.BUILT : presence;
    }

    public Op(int opcodeIndex, String kind, List<Integer> inputs, List<Integer> outputs, Options options) {
        this(opcodeIndex, kind, inputs, outputs, List.of(), options, null, 0, null, Presence.BUILT);
    }

    /** A copy with other operand lists (everything else kept). */
    public Op withOperands(List<Integer> newInputs, List<Integer> newOutputs) {
        return new Op(opcodeIndex, kind, newInputs, newOutputs, intermediates, options, customOptions, customOptionsFormat, mutatingVariableInputs, presence);
    }

    public Op withOptions(Options newOptions) {
        return new Op(opcodeIndex, kind, inputs, outputs, intermediates, newOptions, customOptions, customOptionsFormat, mutatingVariableInputs, presence);
    }

    public int input(int i) { return inputs.get(i); }
    public int output(int i) { return outputs.get(i); }

    /** True when input i exists and is not the -1 placeholder. */
    public boolean hasInput(int i) { return i < inputs.size() && inputs.get(i) >= 0; }

    @Override public byte[] customOptions() { return customOptions.clone(); }
    @Override public boolean[] mutatingVariableInputs() { return mutatingVariableInputs.clone(); }

    @Override public boolean equals(Object o) {
        return o instanceof Op x && opcodeIndex == x.opcodeIndex && kind.equals(x.kind) && inputs.equals(x.inputs)
                && outputs.equals(x.outputs) && intermediates.equals(x.intermediates) && options.equals(x.options)
                && java.util.Arrays.equals(customOptions, x.customOptions) && customOptionsFormat == x.customOptionsFormat
                && java.util.Arrays.equals(mutatingVariableInputs, x.mutatingVariableInputs) && presence.equals(x.presence);
    }

    @Override public int hashCode() { return kind.hashCode() * 31 + inputs.hashCode() * 7 + outputs.hashCode(); }

    @Override public String toString() { return kind + inputs + "->" + outputs; }
}
