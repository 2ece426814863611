package io.tinyfit.layout;

/**
 * One buffer to place: its size and its closed lifetime {@code [firstStep, lastStep]}.
 *
 * @param id            index in add order
 * @param requestedSize size as added, in bytes
 * @param size          size rounded up to the problem's alignment; all planning uses this
 * @param firstStep     first step at which the buffer is live
 * @param lastStep      last step at which the buffer is live (inclusive)
 * @param offlineOffset fixed offset, or {@link #ONLINE} when the planner chooses it
 */
public record Buffer(int id, long requestedSize, long size, int firstStep, int lastStep, long offlineOffset) {

    /** Marks a buffer whose offset the planner chooses (TFLM's {@code kOnlinePlannedBuffer}). */
    public static final long ONLINE = -1;

    public Buffer {
        if (requestedSize < 0 || size < requestedSize) {
            throw new IllegalArgumentException("bad size " + requestedSize + "/" + size + " for buffer " + id);
        }
        if (firstStep > lastStep) {
            throw new IllegalArgumentException(
                    "buffer " + id + " ends (" + lastStep + ") before it starts (" + firstStep + ")");
        }
        if (offlineOffset < 0 && offlineOffset != ONLINE) {
            throw new IllegalArgumentException("negative offline offset for buffer " + id);
        }
    }

    public boolean isOffline() {
        return offlineOffset != ONLINE;
    }

    /** Closed-interval lifetime intersection: both are live at some common step. */
    public boolean overlapsInTime(Buffer other) {
        return !(firstStep > other.lastStep || other.firstStep > lastStep);
    }

    public boolean liveAt(int step) {
        return firstStep <= step && step <= lastStep;
    }
}
