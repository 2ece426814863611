package io.tinyfit.arena;

import java.util.List;

/**
 * What one operator costs TFLM's arena outside the planned head: its builtin options struct (parsed into the tail
 * before {@code Init}), its {@code Init} OpData, the steps of its {@code Prepare} (temporary TfLiteTensors and
 * persistent buffers, in call order) and how many scratch buffers it requests.
 *
 * @param builtinParams the parser's options struct, null when the parser allocates none
 * @param opData        the struct {@code Init} allocates, null when the kernel has no {@code Init}
 */
record KernelFootprint(CType builtinParams, CType opData, List<PrepareStep> prepare, int scratchRequests) {
    KernelFootprint {
        prepare = List.copyOf(prepare);
    }

    /** One allocation a kernel's {@code Prepare} makes. */
    sealed interface PrepareStep permits TempTensor, Persistent {}

    /** {@code AllocateTempInputTensor}/{@code AllocateTempOutputTensor} on a tensor of the subgraph. */
    record TempTensor(int tensor) implements PrepareStep {}

    /** {@code context->AllocatePersistentBuffer(bytes)}: 16-aligned, from the tail. */
    record Persistent(long bytes) implements PrepareStep {}
}
