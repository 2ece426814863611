package io.tinyfit.model;

/**
 * An entry of the model's operator-code table.
 *
 * @param builtinCode           the effective builtin code (the larger of {@code builtin_code} and
 *                              {@code deprecated_builtin_code}, as TFLite resolves it)
 * @param rawBuiltinCode        the {@code builtin_code} field as stored
 * @param deprecatedBuiltinCode the {@code deprecated_builtin_code} field as stored
 * @param customCode            set for custom operators, else null
 */
public record OpCode(int builtinCode, int rawBuiltinCode, int deprecatedBuiltinCode, String customCode, int version) {

    public static final int CUSTOM = 32;

    public static OpCode builtin(int code, int version) {
        return new OpCode(code, code, Math.min(code, 127), null, version);
    }

    public boolean isCustom() { return builtinCode == CUSTOM; }

    /** The operator's name: {@code CONV_2D}, {@code BUILTIN_170} beyond the known codes, or {@code CUSTOM(name)}. */
    public String name() {
        if (isCustom()) return "CUSTOM(" + (customCode == null ? "" : customCode) + ")";
        return BuiltinNames.name(builtinCode);
    }
}
