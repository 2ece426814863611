package io.tinyfit.model;

/**
 * Names of TFLite builtin operator codes. The table is supplied once by the reader (from the official schema
 * classes), so that the IR stays free of TFLite classes; codes beyond it are named {@code BUILTIN_<code>}.
 */
public final class BuiltinNames {
    private static volatile String[] names = new String[0];

    private BuiltinNames() {}

    public static void install(String[] table) { names = table.clone(); }

    public static String name(int code) {
        String[] n = names;
        return code >= 0 && code < n.length && n[code] != null && !n[code].isEmpty() ? n[code] : "BUILTIN_" + code;
    }

    public static int code(String name) {
        String[] n = names;
        for (int i = 0; i < n.length; i++) if (name.equals(n[i])) return i;
        if (name.startsWith("BUILTIN_")) return Integer.parseInt(name.substring(8));
        throw new IllegalArgumentException("unknown builtin operator " + name);
    }
}
