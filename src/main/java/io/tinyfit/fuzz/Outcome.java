package io.tinyfit.fuzz;

/**
 * How one stage of one case ended.
 *
 * @param nanos    wall-clock time the stage ran (the hard cap when it never finished)
 * @param cpuNanos processor time of the thread that ran it: what the time bound judges, because on a shared
 *                 machine the wall clock measures the other processes as much as tinyfit (tinyfit's stages are
 *                 single-threaded)
 * @param detail   for a refusal or a failure, the exception and (for a failure) where in tinyfit it was thrown
 */
public record Outcome(Stage stage, Status status, long nanos, long cpuNanos, String detail) {
    /** Ran longer than {@code boundNanos} of processor time, or never finished. */
    public boolean pastBound(long boundNanos) { return status == Status.NOT_FINISHED || cpuNanos > boundNanos; }

    public enum Status {
        /** Finished without error. */
        OK,
        /** Ended in a documented exception: the input was refused with a message naming the file. */
        REFUSED,
        /** Ended in any other exception or error: a bug in tinyfit. */
        UNDOCUMENTED,
        /** Still running at the hard cap; abandoned. */
        NOT_FINISHED,
        /** Not run: the model did not load. */
        NOT_REACHED
    }
}
