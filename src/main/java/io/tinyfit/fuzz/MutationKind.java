package io.tinyfit.fuzz;

/**
 * The ways the fuzz damages a valid model: bytes as a bad transfer or disk would, flatbuffer words as a buggy
 * writer would, and well-formed models that are wrong (built on the IR and written with the schema classes), as
 * an unknown converter or a hand edit would make them, including unsafe offline memory plans.
 */
public enum MutationKind {
    TRUNCATE("truncated file"),
    FLIP_1("1 flipped byte"),
    FLIP_4("4 flipped bytes"),
    FLIP_32("32 flipped bytes"),
    OFFSET("corrupt flatbuffer offset"),
    VECTOR_LENGTH("corrupt vector length"),
    DIM_SCALED("dimension x 65,536"),
    DIM_OVERFLOW("dimensions overflowing"),
    DIM_ZERO("dimension set to 0"),
    INPUT_DROPPED("operator input dropped"),
    INPUT_OUT_OF_RANGE("operator input out of range"),
    TWO_WRITERS("two writers of one tensor"),
    CYCLE("cycle"),
    GRAPH_IO("graph inputs/outputs changed"),
    VARIABLE_FLAG("variable flag set"),
    OPTIONS("builtin options fuzzed"),
    QUANT_SCALE("scale 0, NaN or Inf"),
    QUANT_ZERO_POINT("zero point 1000"),
    QUANT_LENGTHS("quantisation array lengths"),
    PLAN_OVERLAP("plan: live tensors overlap"),
    PLAN_DMO("plan: DMO pair beyond safe delta"),
    PLAN_ZERO("plan: all offsets 0"),
    PLAN_UNALIGNED("plan: unaligned offset"),
    PLAN_NEGATIVE("plan: negative offset"),
    PLAN_FAR("plan: offset of 1 GiB");

    private final String label;

    MutationKind(String label) { this.label = label; }

    /** How the report's table names the kind. */
    public String label() { return label; }
}
