package io.tinyfit.arena;

/**
 * One call TFLM makes on its {@code SingleArenaBufferAllocator} while it sets a model up
 * (arena_allocator/single_arena_buffer_allocator.cc). Sizes are bytes; alignments are powers of two.
 */
sealed interface ArenaEvent {
    /** {@code AllocatePersistentBuffer}: from the tail downwards, aligned down; fails below the head. */
    record Persistent(long bytes, int align, TailPart part) implements ArenaEvent {}

    /** {@code AllocateTemp}: upwards from the temp pointer, aligned up; fails past the tail. */
    record Temp(long bytes, int align) implements ArenaEvent {}

    /** {@code ResetTempAllocations}: the temp pointer returns to the head. */
    record ResetTemp() implements ArenaEvent {}

    /**
     * {@code AllocateResizableBuffer}/{@code ResizeBuffer}/{@code ReserveNonPersistentOverlayMemory}: the head
     * becomes {@code bytes} long (from the 16-aligned arena start) and the temp pointer follows it.
     */
    record ResizeHead(long bytes) implements ArenaEvent {}

    /**
     * micro_allocator.cc {@code CommitStaticMemoryPlan}: every byte between the 16-aligned temp pointer and the
     * 16-aligned tail goes to the greedy planner ({@code GetAvailableMemory}, {@code AllocateTemp}), which then
     * refuses more buffers than {@code available / per_buffer_size()}.
     */
    record PlannerScratch(int buffers, long bytesPerBuffer) implements ArenaEvent {}

    /** What a persistent allocation holds, for the tail's breakdown. */
    enum TailPart {
        ALLOCATOR("allocator objects"), EVAL_TENSORS("TfLiteEvalTensor array"), NODES("NodeAndRegistration array"),
        BUILTIN_DATA("operator options"), OP_DATA("kernel op data"), SCRATCH_HANDLES("scratch buffer handles"),
        VARIABLES("variable tensors"), IO_TENSORS("input/output TfLiteTensors");

        private final String label;

        TailPart(String label) { this.label = label; }

        public String label() { return label; }

        public String key() { return name().toLowerCase(java.util.Locale.ROOT); }
    }
}
