package io.tinyfit.tflite;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;

/** Deep field-by-field comparison of the schema's object trees ({@code ModelT} and everything below it). */
final class SchemaEquality {
    private SchemaEquality() {}

    /** Null when equal, else the path of the first differing field. */
    static String firstDifference(Object a, Object b, String path) {
        if (a == null || b == null) return a == b ? null : path + " (" + a + " vs " + b + ")";
        if (a.getClass() != b.getClass()) return path + " class " + a.getClass() + " vs " + b.getClass();
        if (a.getClass().isArray()) {
            if (a.getClass().getComponentType().isPrimitive()) {
                return Arrays.deepEquals(new Object[] {a}, new Object[] {b}) ? null : path + " (primitive array differs)";
            }
            Object[] x = (Object[]) a;
            Object[] y = (Object[]) b;
            if (x.length != y.length) return path + " length " + x.length + " vs " + y.length;
            for (int i = 0; i < x.length; i++) {
                String d = firstDifference(x[i], y[i], path + "[" + i + "]");
                if (d != null) return d;
            }
            return null;
        }
        if (a instanceof Number || a instanceof Boolean || a instanceof String || a instanceof Character) {
            return a.equals(b) ? null : path + " (" + a + " vs " + b + ")";
        }
        for (Method m : a.getClass().getMethods()) {
            if (!m.getName().startsWith("get") || m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers())
                    || m.getDeclaringClass() == Object.class) continue;
            try {
                String d = firstDifference(m.invoke(a), m.invoke(b), path + "." + m.getName().substring(3));
                if (d != null) return d;
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        return null;
    }
}
