package io.tinyfit.testing;

import io.tinyfit.model.Options;

import java.util.LinkedHashMap;

/** Builtin options written inline in tests: a schema options type and alternating field names and values. */
public final class TestOptions {
    private TestOptions() {}

    public static Options options(String type, Object... kv) {
        LinkedHashMap<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return new Options(type, m);
    }
}
