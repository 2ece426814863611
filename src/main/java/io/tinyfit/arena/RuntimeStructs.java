package io.tinyfit.arena;

/**
 * The TFLM runtime structures that live in the arena, laid out from their field lists (TFLM at the golden commit;
 * files named per struct) for one data model. Kernel-private structs are in {@link KernelStructs}.
 */
final class RuntimeStructs {
    /** {@code kMaxScratchBuffersPerOp} (micro_allocator.cc): head room reserved for each kernel's scratch requests. */
    static final int MAX_SCRATCH_REQUESTS_PER_OP = 12;
    /** {@code MicroArenaBufferAlignment()} (micro_arena_constants.h): kernels' persistent buffers and variables. */
    static final int ARENA_ALIGNMENT = 16;

    private final DataModel dm;

    RuntimeStructs(DataModel dm) { this.dm = dm; }

    DataModel dataModel() { return dm; }

    /** micro/c/common.h {@code TfLiteIntArray}: an int size and a flexible int array (TfLiteIntArrayGetSizeInBytes). */
    CType intArray(int n) { return new CType(4 + 4L * n, 4); }

    /** micro/c/common.h {@code TfLiteTensor} (the TF_LITE_STATIC_MEMORY layout). */
    CType tensor() {
        CType quantization = CType.struct(dm.i32(), dm.ptr());          // TfLiteQuantization {type, params}
        CType params = CType.struct(dm.i32(), dm.i32());                // TfLiteQuantizationParams {scale, zero_point}
        return CType.struct(quantization, params, dm.ptr(), dm.ptr(),   // data, dims
                dm.ptr(), dm.i32(), dm.i32(), dm.i8());                 // bytes, type, allocation_type, is_variable
    }

    /** micro/c/common.h {@code TfLiteEvalTensor} {data, dims, type}. */
    CType evalTensor() { return CType.struct(dm.ptr(), dm.ptr(), dm.i32()); }

    /** micro_allocator.h {@code NodeAndRegistration}: a TfLiteNode (six pointers and an int) and a registration pointer. */
    CType nodeAndRegistration() {
        CType p = dm.ptr();
        CType node = CType.struct(p, p, p, p, p, p, dm.i32());
        return CType.struct(node, p);
    }

    /** micro/c/common.h {@code TfLiteAffineQuantization} {scale, zero_point, quantized_dimension}. */
    CType affineQuantization() { return CType.struct(dm.ptr(), dm.ptr(), dm.i32()); }

    /** micro_allocator.h {@code internal::ScratchBufferRequest} {size_t bytes, int node_idx, int subgraph_idx}. */
    CType scratchBufferRequest() { return CType.struct(dm.ptr(), dm.i32(), dm.i32()); }

    /** micro_allocator.h {@code ScratchBufferHandle} {uint8_t* data}. */
    CType scratchBufferHandle() { return CType.struct(dm.ptr()); }

    /** micro_allocator.h {@code SubgraphAllocations} {node_and_registrations, tensors}. */
    CType subgraphAllocations() { return CType.struct(dm.ptr(), dm.ptr()); }

    /** micro_allocation_info.h {@code AllocationInfo} {size_t bytes, void** output_ptr, 3 ints, bool}. */
    CType allocationInfo() { return CType.struct(dm.ptr(), dm.ptr(), dm.i32(), dm.i32(), dm.i32(), dm.i8()); }

    CType sizeT() { return dm.ptr(); }

    /**
     * single_arena_buffer_allocator.h: two interface vtable pointers, five pointers, an {@code intptr_t} checksum
     * and an int count.
     */
    CType singleArenaBufferAllocator() {
        CType p = dm.ptr();
        return CType.struct(p, p, p, p, p, p, p, p, dm.i32());
    }

    /**
     * greedy_memory_planner.h: vtable, max/count ints, four array pointers, two list indices, the offsets pointer
     * and the recalculation flag.
     */
    CType greedyMemoryPlanner() {
        CType p = dm.ptr();
        CType i = dm.i32();
        return CType.struct(p, i, i, p, p, p, p, i, i, p, dm.i8());
    }

    /**
     * micro_allocator.h {@code MicroAllocator}: vtable, the two buffer allocators, the builtin-data allocator, the
     * planner, a flag, the request count, the request head and the largest head.
     */
    CType microAllocator() {
        CType p = dm.ptr();
        return CType.struct(p, p, p, p, p, dm.i8(), p, p, p);
    }

    /** micro_allocator.cc {@code MicroBuiltinDataAllocator}: vtable and the persistent allocator pointer. */
    CType builtinDataAllocator() { return CType.struct(dm.ptr(), dm.ptr()); }

    /**
     * greedy_memory_planner.h {@code per_buffer_size()}: BufferRequirements (four ints), two sorted int arrays, a
     * ListEntry (three ints) and the offset; the planner takes this much of the temporary section per buffer.
     */
    long plannerBytesPerBuffer() { return 4 * 4 + 4 + 4 + 3 * 4 + 4; }
}
