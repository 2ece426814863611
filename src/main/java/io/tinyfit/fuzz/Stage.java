package io.tinyfit.fuzz;

/** The pipeline a model goes through, as the command line runs it: read, then analyze, run and optimize. */
public enum Stage {
    READ, ANALYZE, RUN, OPTIMIZE;

    public String label() { return name().toLowerCase(java.util.Locale.ROOT); }
}
