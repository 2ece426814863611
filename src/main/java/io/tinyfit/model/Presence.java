package io.tinyfit.model;

import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which optional fields (vectors, strings, sub-tables, unions) one table of a model file had. A flatbuffer writer
 * may omit such a field or write it empty, and readers tell the two apart: TFLM refuses a builtin operator whose
 * {@code custom_options} vector is present at all, even with zero bytes. So the IR keeps presence as read, and the
 * writer reproduces it instead of inferring it from the content.
 *
 * <p>Field names are the schema's ({@code custom_options}). {@link #BUILT} marks a table made in code: the writer
 * then writes the fields that have content, plus the few TFLM reads unconditionally.
 */
public final class Presence {
    /** A table built in code, not read from a file. */
    public static final Presence BUILT = new Presence(null);

    private final Set<String> present;

    private Presence(Set<String> present) { this.present = present; }

    /** The fields a table read from a file had. */
    public static Presence of(Collection<String> fields) { return new Presence(Set.copyOf(fields)); }

    public boolean isBuilt() { return present == null; }

    /** True when the file had the field (false for tables built in code). */
    public boolean had(String field) { return present != null && present.contains(field); }

    /**
     * Whether the writer emits the field: a table read from a file keeps what it had (and gains any field that
     * acquired content since); a table built in code writes what has content, and {@code requiredWhenBuilt}
     * fields (e.g. an operator's inputs, which TFLM dereferences without a null check) always.
     */
    public boolean writes(String field, boolean hasContent, boolean requiredWhenBuilt) {
        if (hasContent) return true;
        return present == null ? requiredWhenBuilt : present.contains(field);
    }

    @Override public boolean equals(Object o) {
        return o instanceof Presence p && java.util.Objects.equals(present, p.present);
    }

    @Override public int hashCode() { return present == null ? 0 : present.hashCode(); }

    @Override public String toString() { return present == null ? "built" : new TreeSet<>(present).toString(); }
}
