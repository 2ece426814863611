package io.tinyfit.tflite;

import io.tinyfit.model.Options;
import org.tensorflow.lite.schema.BuiltinOptions;
import org.tensorflow.lite.schema.BuiltinOptionsUnion;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Converts between the schema's options objects ({@code Conv2DOptionsT}...) and the IR's {@link Options}
 * table. It works on every options type the schema knows by reading the generated getters and calling the
 * matching setters, so no field is ever dropped on a round trip.
 */
final class OptionsCodec {
    private static final String SCHEMA = "org.tensorflow.lite.schema.";

    private OptionsCodec() {}

    static Options decode(BuiltinOptionsUnion union) {
        if (union == null || union.getType() == BuiltinOptions.NONE || union.getValue() == null) return Options.NONE;
        String type = BuiltinOptions.name(union.getType());
        Object value = union.getValue();
        Map<String, Object> fields = new LinkedHashMap<>();
        for (Method m : value.getClass().getMethods()) {
            if (!m.getName().startsWith("get") || m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers())
                    || m.getDeclaringClass() != value.getClass()) continue;
            Object v;
            try {
                v = m.invoke(value);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read " + type + "." + m.getName(), e);
            }
            if (v != null && !isPlain(v)) {
                throw new IllegalStateException(type + "." + m.getName() + " holds a nested table, which tinyfit does not model");
            }
            String name = Character.toLowerCase(m.getName().charAt(3)) + m.getName().substring(4);
            fields.put(name, v);
        }
        return new Options(type, fields);
    }

    static BuiltinOptionsUnion encode(Options options) {
        BuiltinOptionsUnion union = new BuiltinOptionsUnion();
        if (options == null || options.isNone()) {
            union.setType(BuiltinOptions.NONE);
            return union;
        }
        byte type = typeCode(options.type());
        try {
            Class<?> cls = Class.forName(SCHEMA + options.type() + "T");
            Object value = cls.getConstructor().newInstance();
            for (Map.Entry<String, Object> e : options.fields().entrySet()) {
                if (e.getValue() == null) continue;
                String setter = "set" + Character.toUpperCase(e.getKey().charAt(0)) + e.getKey().substring(1);
                Method m = findSetter(cls, setter);
                m.invoke(value, coerce(e.getValue(), m.getParameterTypes()[0]));
            }
            union.setType(type);
            union.setValue(value);
            return union;
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("cannot encode options " + options, e);
        }
    }

    private static byte typeCode(String name) {
        for (int i = 0; i < BuiltinOptions.names.length; i++) if (BuiltinOptions.names[i].equals(name)) return (byte) i;
        throw new IllegalArgumentException("unknown options type " + name);
    }

    private static Method findSetter(Class<?> cls, String name) throws NoSuchMethodException {
        for (Method m : cls.getMethods()) if (m.getName().equals(name) && m.getParameterCount() == 1) return m;
        throw new NoSuchMethodException(cls.getSimpleName() + "." + name);
    }

    /** Builders (e.g. GraphBuilder) may store an int where the schema has a byte, short or long. */
    private static Object coerce(Object v, Class<?> target) {
        if (v instanceof Number n) {
            if (target == byte.class) return n.byteValue();
            if (target == short.class) return n.shortValue();
            if (target == int.class) return n.intValue();
            if (target == long.class) return n.longValue();
            if (target == float.class) return n.floatValue();
            if (target == double.class) return n.doubleValue();
        }
        return v;
    }

    private static boolean isPlain(Object v) {
        return v instanceof Number || v instanceof Boolean || v instanceof String || v.getClass().isArray()
                && v.getClass().getComponentType().isPrimitive();
    }
}
