package io.tinyfit.spill;

/**
 * A separable convolution chain split into channel groups (TinyMo's splitting): {@code expand} (a convolution) and
 * {@code depthwise} (multiplier 1) run one group of the expanded channels at a time, so only one group of the
 * expanded tensor is ever in SRAM. With {@code project} = -1 each group of the depthwise output is written into its
 * place in the whole depthwise output (an in-place concatenation, int8 only); with a project convolution each
 * group's depthwise output is a group-sized buffer too and the project convolution adds the group's int32 partial
 * sums into an accumulator of its output, finished once at the end (the accumulator is planned like any buffer).
 *
 * @param expand    position in the operator order of the convolution making the expanded tensor
 * @param groups    number of channel groups (the last may be smaller)
 * @param pad       a PAD of height and width only sits between the expand and the depthwise convolution (MobileNetV2
 *                  as converted from PyTorch): it runs per group too
 */
public record Split(int expand, boolean project, int groups, boolean pad) {
    public Split {
        if (groups < 2) throw new IllegalArgumentException("a split needs two groups or more, not " + groups);
    }

    public Split(int expand, boolean project, int groups) { this(expand, project, groups, false); }

    /** How many positions of the order the split covers (expand, maybe a pad, depthwise and maybe project). */
    public int length() { return 2 + (pad ? 1 : 0) + (project ? 1 : 0); }

    /** Position of the depthwise convolution. */
    public int depthwise() { return expand + (pad ? 2 : 1); }
}
