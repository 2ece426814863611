package io.tinyfit.arena;

import io.tinyfit.arena.ArenaEvent.Persistent;
import io.tinyfit.arena.ArenaEvent.PlannerScratch;
import io.tinyfit.arena.ArenaEvent.ResetTemp;
import io.tinyfit.arena.ArenaEvent.ResizeHead;
import io.tinyfit.arena.ArenaEvent.TailPart;
import io.tinyfit.arena.ArenaEvent.Temp;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * TFLM's {@code SingleArenaBufferAllocator} run over an arena of a given size whose start is 16-byte aligned
 * (address 0): the head grows up from 0, the tail down from the arena's end, temporaries up from the head. The
 * checks are the allocator's own, so a replay fails exactly where {@code AllocateTensors()} would.
 */
final class ArenaReplay {
    /** What a replay ended with. {@code tailParts} sums each part's bytes, alignment padding included. */
    record Outcome(boolean fits, long headBytes, long tailBytes, long peakTempBytes, Map<TailPart, Long> tailParts) {
        long usedBytes() { return headBytes + tailBytes; }
    }

    private ArenaReplay() {}

    static Outcome run(List<ArenaEvent> events, long arenaBytes) {
        long head = 0;
        long tail = arenaBytes;
        long temp = 0;
        long peakTemp = 0;
        Map<TailPart, Long> parts = new EnumMap<>(TailPart.class);
        for (ArenaEvent e : events) {
            if (e instanceof Persistent p) {
                long r = CType.alignDown(tail - p.bytes(), p.align());
                if (r < head) return failed(head, arenaBytes - tail, peakTemp, parts);
                parts.merge(p.part(), tail - r, Long::sum);
                tail = r;
            } else if (e instanceof Temp t) {
                long r = CType.alignUp(temp, t.align());
                if (tail - r < t.bytes()) return failed(head, arenaBytes - tail, peakTemp, parts);
                temp = r + t.bytes();
            } else if (e instanceof ResetTemp) {
                temp = head;
            } else if (e instanceof ResizeHead h) {
                if (tail < h.bytes()) return failed(head, arenaBytes - tail, peakTemp, parts);
                head = h.bytes();
                temp = head;
            } else if (e instanceof PlannerScratch s) {
                long from = CType.alignUp(temp, RuntimeStructs.ARENA_ALIGNMENT);
                long available = CType.alignDown(tail, RuntimeStructs.ARENA_ALIGNMENT) - from;
                // size_t arithmetic: a negative gap wraps to a huge request that AllocateTemp refuses
                if (available < 0 || available / s.bytesPerBuffer() < s.buffers()) return failed(head, arenaBytes - tail, peakTemp, parts);
                temp = from + available;
                peakTemp = Math.max(peakTemp, from + s.buffers() * s.bytesPerBuffer() - head);
                continue;
            }
            peakTemp = Math.max(peakTemp, temp - head);
        }
        return new Outcome(true, head, arenaBytes - tail, peakTemp, parts);
    }

    private static Outcome failed(long head, long tail, long peakTemp, Map<TailPart, Long> parts) {
        return new Outcome(false, head, tail, peakTemp, parts);
    }

    /**
     * The smallest arena for which every call succeeds. Growing an arena by 16 bytes moves every tail address by
     * exactly 16 (every alignment divides 16), so within one residue of the size modulo 16 success is monotone and
     * a bisection per residue finds its least size; the answer is the least over the 16 residues.
     */
    static long minimumArena(List<ArenaEvent> events) {
        long upper = 1024;
        while (!run(events, upper * 16).fits()) upper *= 2;
        long best = Long.MAX_VALUE;
        for (int residue = 0; residue < 16; residue++) {
            long lo = -1;
            long hi = upper;  // run(16 * hi + residue) fits: the tail addresses only rise above run(16 * upper)
            while (hi - lo > 1) {
                long mid = (lo + hi) >>> 1;
                if (run(events, 16 * mid + residue).fits()) hi = mid;
                else lo = mid;
            }
            best = Math.min(best, 16 * hi + residue);
        }
        return best;
    }
}
