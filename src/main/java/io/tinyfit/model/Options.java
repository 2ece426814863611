package io.tinyfit.model;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An operator's builtin options as a typed-by-name table: {@code type} is the schema's options table name
 * (e.g. {@code Conv2DOptions}) and {@code fields} maps field names (schema names in camel case, e.g.
 * {@code strideW}) to boxed primitives, strings or primitive arrays. Every field is kept, so a model written
 * back is field-for-field the one read. Kernels use the typed records in {@link io.tinyfit.model.ops}.
 */
public final class Options {
    public static final Options NONE = new Options("NONE", Map.of());

    private final String type;
    private final Map<String, Object> fields;

    public Options(String type, Map<String, Object> fields) {
        this.type = type;
        LinkedHashMap<String, Object> copy = new LinkedHashMap<>();
        fields.forEach((k, v) -> copy.put(k, copyValue(v)));
        this.fields = Collections.unmodifiableMap(copy);
    }

    public String type() { return type; }

    public boolean isNone() { return "NONE".equals(type); }

    /** Field names and values; arrays are returned as copies by {@link #get}. */
    public Map<String, Object> fields() {
        LinkedHashMap<String, Object> copy = new LinkedHashMap<>();
        fields.forEach((k, v) -> copy.put(k, copyValue(v)));
        return copy;
    }

    public Object get(String field) { return copyValue(fields.get(field)); }

    public int getInt(String field) {
        Object v = fields.get(field);
        if (v == null) throw new IllegalStateException(type + " has no field " + field);
        return ((Number) v).intValue();
    }

    public int getInt(String field, int fallback) {
        Object v = fields.get(field);
        return v == null ? fallback : ((Number) v).intValue();
    }

    public float getFloat(String field) {
        Object v = fields.get(field);
        if (v == null) throw new IllegalStateException(type + " has no field " + field);
        return ((Number) v).floatValue();
    }

    public boolean getBool(String field) {
        Object v = fields.get(field);
        return v != null && (Boolean) v;
    }

    public int[] getInts(String field) {
        Object v = fields.get(field);
        return v == null ? new int[0] : ((int[]) v).clone();
    }

    public Options with(String field, Object value) {
        LinkedHashMap<String, Object> copy = new LinkedHashMap<>(fields);
        copy.put(field, value);
        return new Options(type, copy);
    }

    private static Object copyValue(Object v) {
        if (v instanceof int[] a) return a.clone();
        if (v instanceof long[] a) return a.clone();
        if (v instanceof float[] a) return a.clone();
        if (v instanceof boolean[] a) return a.clone();
        if (v instanceof byte[] a) return a.clone();
        if (v instanceof String[] a) return a.clone();
        return v;
    }

    @Override public boolean equals(Object o) {
        if (!(o instanceof Options other) || !type.equals(other.type) || !fields.keySet().equals(other.fields.keySet())) return false;
        for (var e : fields.entrySet()) if (!Arrays.deepEquals(new Object[] {e.getValue()}, new Object[] {other.fields.get(e.getKey())})) return false;
        return true;
    }

    @Override public int hashCode() { return type.hashCode() * 31 + fields.keySet().hashCode(); }

    @Override public String toString() {
        StringBuilder sb = new StringBuilder(type).append('{');
        fields.forEach((k, v) -> sb.append(k).append('=').append(Arrays.deepToString(new Object[] {v}), 1, Arrays.deepToString(new Object[] {v}).length() - 1).append(' '));
        return sb.toString().trim() + '}';
    }
}
