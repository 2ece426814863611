package io.tinyfit.layout;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything a planner needs, as an immutable value: buffers in add order (sizes aligned),
 * overlap allowances, and the alignment. Build one with {@link #builder(int)}, or read it back
 * from any planner with {@link MemoryPlanner#problem()}.
 */
public record LayoutProblem(int alignment, List<Buffer> buffers, List<OverlapAllowance> allowances) {

    public LayoutProblem {
        Alignment.requireValid(alignment);
        buffers = List.copyOf(buffers);
        allowances = List.copyOf(allowances);
        for (int i = 0; i < buffers.size(); i++) {
            Buffer b = buffers.get(i);
            if (b.id() != i) {
                throw new IllegalArgumentException("buffer at index " + i + " has id " + b.id());
            }
            if (b.size() % alignment != 0) {
                throw new IllegalArgumentException("buffer " + i + " size " + b.size() + " not aligned to " + alignment);
            }
            if (b.isOffline() && b.offlineOffset() % alignment != 0) {
                throw new IllegalArgumentException(
                        "buffer " + i + " offline offset " + b.offlineOffset() + " not aligned to " + alignment);
            }
        }
        for (OverlapAllowance a : allowances) {
            if (a.output() < 0 || a.output() >= buffers.size() || a.input() < 0 || a.input() >= buffers.size()) {
                throw new IllegalArgumentException("allowance refers to an unknown buffer: " + a);
            }
        }
    }

    public static Builder builder(int alignment) {
        return new Builder(alignment);
    }

    public static Builder builder() {
        return new Builder(MemoryPlanner.DEFAULT_ALIGNMENT);
    }

    public int bufferCount() {
        return buffers.size();
    }

    public Buffer buffer(int id) {
        return buffers.get(id);
    }

    /** Adds this problem's buffers (requested sizes) and allowances to a planner, in order. */
    public <P extends MemoryPlanner> P feedInto(P planner) {
        if (planner.bufferCount() != 0) {
            throw new IllegalStateException("planner already has buffers");
        }
        for (Buffer b : buffers) {
            if (b.isOffline()) {
                planner.addBuffer(b.requestedSize(), b.firstStep(), b.lastStep(), b.offlineOffset());
            } else {
                planner.addBuffer(b.requestedSize(), b.firstStep(), b.lastStep());
            }
        }
        for (OverlapAllowance a : allowances) {
            planner.allowOverlap(a.output(), a.input(), a.minDelta());
        }
        return planner;
    }

    /** Mutable accumulator behind every planner's add methods; aligns sizes as they arrive. */
    public static final class Builder {
        private final int alignment;
        private final List<Buffer> buffers = new ArrayList<>();
        // keyed by (output, input): a repeated declaration keeps the most permissive delta
        private final Map<Long, OverlapAllowance> allowances = new LinkedHashMap<>();

        Builder(int alignment) {
            this.alignment = Alignment.requireValid(alignment);
        }

        public int addBuffer(long size, int firstStep, int lastStep) {
            return add(size, firstStep, lastStep, Buffer.ONLINE);
        }

        public int addBuffer(long size, int firstStep, int lastStep, long offlineOffset) {
            if (offlineOffset < 0) {
                throw new IllegalArgumentException("offline offset must be >= 0: " + offlineOffset);
            }
            if (offlineOffset % alignment != 0) {
                throw new IllegalArgumentException(
                        "offline offset " + offlineOffset + " is not a multiple of the alignment " + alignment);
            }
            return add(size, firstStep, lastStep, offlineOffset);
        }

        private int add(long size, int firstStep, int lastStep, long offlineOffset) {
            if (size < 0) {
                throw new IllegalArgumentException("size must be >= 0: " + size);
            }
            int id = buffers.size();
            buffers.add(new Buffer(id, size, Alignment.alignUp(size, alignment), firstStep, lastStep, offlineOffset));
            return id;
        }

        public Builder allowOverlap(int outputBuffer, int inputBuffer, long minDeltaBytes) {
            checkIndex(outputBuffer);
            checkIndex(inputBuffer);
            OverlapAllowance a = new OverlapAllowance(outputBuffer, inputBuffer, minDeltaBytes);
            allowances.merge(key(outputBuffer, inputBuffer), a,
                    (old, neu) -> old.minDelta() <= neu.minDelta() ? old : neu);
            return this;
        }

        public int bufferCount() {
            return buffers.size();
        }

        public int alignment() {
            return alignment;
        }

        public LayoutProblem build() {
            return new LayoutProblem(alignment, buffers, new ArrayList<>(allowances.values()));
        }

        private void checkIndex(int buffer) {
            if (buffer < 0 || buffer >= buffers.size()) {
                throw new IndexOutOfBoundsException("no buffer " + buffer + " (have " + buffers.size() + ")");
            }
        }

        private static long key(int output, int input) {
            return ((long) output << 32) | (input & 0xffffffffL);
        }
    }
}
