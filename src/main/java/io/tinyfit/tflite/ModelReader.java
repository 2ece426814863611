package io.tinyfit.tflite;

import com.google.flatbuffers.Table;
import io.tinyfit.kernels.GraphPreparation;
import io.tinyfit.model.BuiltinNames;
import io.tinyfit.model.ConstData;
import io.tinyfit.model.DType;
import io.tinyfit.model.Graph;
import io.tinyfit.model.GraphValidator;
import io.tinyfit.model.Limits;
import io.tinyfit.model.Metadata;
import io.tinyfit.model.ModelFormatException;
import io.tinyfit.model.Op;
import io.tinyfit.model.OpCode;
import io.tinyfit.model.Options;
import io.tinyfit.model.Presence;
import io.tinyfit.model.Quantization;
import io.tinyfit.model.Shape;
import io.tinyfit.model.SignatureDef;
import io.tinyfit.model.Subgraph;
import io.tinyfit.model.Tensor;
import org.tensorflow.lite.schema.Buffer;
import org.tensorflow.lite.schema.BuiltinOperator;
import org.tensorflow.lite.schema.BuiltinOptions;
import org.tensorflow.lite.schema.BuiltinOptionsUnion;
import org.tensorflow.lite.schema.Model;
import org.tensorflow.lite.schema.Operator;
import org.tensorflow.lite.schema.OperatorCode;
import org.tensorflow.lite.schema.QuantizationParameters;
import org.tensorflow.lite.schema.SubGraph;
import org.tensorflow.lite.schema.TensorMap;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a {@code .tflite} file into the IR with the official generated schema classes.
 *
 * <p>flatbuffers-java does not verify buffers, so this reader decodes everything eagerly, checks every vector
 * length against the file size before it allocates, checks every index (buffers, tensors, operator codes) and
 * turns whatever the generated accessors throw on a corrupt file into a {@link ModelFormatException} that names
 * the file.
 */
public final class ModelReader {
    /** TFLite's schema version; older versions are not produced by any current converter. */
    public static final int SCHEMA_VERSION = 3;
    static final int MAX_FILE_BYTES = Integer.MAX_VALUE - 16;

    static {
        BuiltinNames.install(BuiltinOperator.names);
    }

    private final String source;
    private final ByteBuffer bb;

    private ModelReader(String source, ByteBuffer bb) {
        this.source = source;
        this.bb = bb;
    }

    /** Makes sure the builtin operator names are known to the IR (the reader installs them). */
    public static void init() {}

    public static Graph read(Path file) { return read(file, Limits.DEFAULT); }

    /**
     * Reads and validates a model file: the flatbuffer, then the graph ({@link GraphValidator}), its offline plan's
     * entries ({@link OfflineMemoryAllocation#validate}) and every operator's preparation
     * ({@link GraphPreparation#atLoad}), all bounded by {@code limits}.
     */
    public static Graph read(Path file, Limits limits) {
        byte[] bytes;
        try {
            if (Files.isDirectory(file)) throw new ModelFormatException(file + ": is a directory, not a .tflite file");
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ModelFormatException(file + ": no such file");
        } catch (IOException e) {
            throw new ModelFormatException(file + ": cannot read (" + e.getMessage() + ")");
        }
        return read(bytes, file.getFileName().toString(), limits);
    }

    public static Graph read(byte[] bytes, String source) { return read(bytes, source, Limits.DEFAULT); }

    public static Graph read(byte[] bytes, String source, Limits limits) { return validate(decode(bytes, source), limits); }

    /**
     * The checks every model goes through before anything else sees it, also for models built in code: the graph's
     * structure, its offline plan's entries, and each operator's preparation. Throws {@link ModelFormatException}
     * naming the file and the tensor or operator; returns the graph unchanged.
     */
    public static Graph validate(Graph g, Limits limits) {
        GraphValidator.validate(g, limits);
        OfflineMemoryAllocation.validate(g, limits);
        GraphPreparation.atLoad(g, limits);
        return g;
    }

    /**
     * The flatbuffer alone. Only its own failures are turned into {@link ModelFormatException}: the validation
     * after it runs outside this net, so that a bug there shows as what it is.
     */
    private static Graph decode(byte[] bytes, String source) {
        ByteBuffer bb = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        ModelReader r = new ModelReader(source, bb);
        try {
            return r.decode();
        } catch (ModelFormatException e) {
            throw e;
        } catch (IndexOutOfBoundsException | java.nio.BufferUnderflowException e) {
            // The generated accessors follow offsets without checking them: a cut-off file or a corrupt offset
            // or length sends them past the end.
            throw new ModelFormatException(source + ": truncated or corrupt file: a table, vector or string lies outside its "
                    + bytes.length + " bytes (" + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + firstLine(e.getMessage())) + ")", e);
        } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
            // Any other failure of the generated code on corrupt data (e.g. malformed UTF-8 in a name).
            throw new ModelFormatException(source + ": corrupt flatbuffer (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + firstLine(e.getMessage())) + ")", e);
        }
    }

    private Graph decode() {
        int n = bb.capacity();
        if (n < 8) throw fail("file too short to be a TFLite model (" + n + " bytes)");
        if (!Model.ModelBufferHasIdentifier(bb)) {
            byte[] id = new byte[4];
            bb.get(4, id);
            throw fail("wrong file identifier '" + printable(id) + "', expected 'TFL3' (not a TFLite model)");
        }
        int root = bb.getInt(0);
        if (root < 8 || root > n - 4) throw fail("root table offset " + root + " outside the file");
        Model m = Model.getRootAsModel(bb);
        long version = m.version();
        if (version != SCHEMA_VERSION) throw fail("schema version " + version + " is not supported (expected " + SCHEMA_VERSION + ")");

        List<ConstData> buffers = readBuffers(m);
        List<OpCode> opcodes = readOpcodes(m);
        int sgCount = checkLen(m.subgraphsLength(), 4, "subgraphs");
        if (sgCount == 0) throw fail("model has no subgraph");
        List<Subgraph> subgraphs = new ArrayList<>(sgCount);
        for (int s = 0; s < sgCount; s++) subgraphs.add(readSubgraph(m.subgraphs(s), s, buffers, opcodes));

        List<Metadata> metadata = new ArrayList<>();
        for (int i = 0; i < checkLen(m.metadataLength(), 4, "metadata"); i++) {
            org.tensorflow.lite.schema.Metadata md = m.metadata(i);
            long b = md.buffer();
            if (b < 0 || b >= buffers.size()) throw fail("metadata '" + md.name() + "' points to buffer " + b + " of " + buffers.size());
            metadata.add(new Metadata(md.name(), (int) b));
        }
        List<SignatureDef> sigs = new ArrayList<>();
        for (int i = 0; i < checkLen(m.signatureDefsLength(), 4, "signature_defs"); i++) {
            org.tensorflow.lite.schema.SignatureDef sd = m.signatureDefs(i);
            sigs.add(new SignatureDef(sd.signatureKey(), (int) sd.subgraphIndex(),
                    tensorMaps(sd.inputsLength(), sd::inputs), tensorMaps(sd.outputsLength(), sd::outputs),
                    present("inputs", sd.inputsVector(), "outputs", sd.outputsVector())));
        }
        List<Integer> metadataBuffer = new ArrayList<>();
        for (int i = 0; i < checkLen(m.metadataBufferLength(), 4, "metadata_buffer"); i++) metadataBuffer.add(m.metadataBuffer(i));
        return new Graph(source, version, m.description(), opcodes, subgraphs, buffers, metadata, sigs, metadataBuffer,
                present("operator_codes", m.operatorCodesVector(), "subgraphs", m.subgraphsVector(), "buffers", m.buffersVector(),
                        "metadata_buffer", m.metadataBufferVector(), "metadata", m.metadataVector(), "signature_defs", m.signatureDefsVector()));
    }

    /**
     * The optional fields of one table that the file has, from (schema name, accessor result) pairs: the generated
     * accessors return null exactly when the table's vtable has no entry for the field.
     */
    private static Presence present(Object... nameThenValue) {
        List<String> had = new ArrayList<>();
        for (int i = 0; i < nameThenValue.length; i += 2) if (nameThenValue[i + 1] != null) had.add((String) nameThenValue[i]);
        return Presence.of(had);
    }

    private List<SignatureDef.TensorMap> tensorMaps(int len, java.util.function.IntFunction<TensorMap> get) {
        List<SignatureDef.TensorMap> out = new ArrayList<>();
        for (int i = 0; i < checkLen(len, 4, "signature tensors"); i++) {
            TensorMap t = get.apply(i);
            out.add(new SignatureDef.TensorMap(t.name(), (int) t.tensorIndex()));
        }
        return out;
    }

    private List<ConstData> readBuffers(Model m) {
        int count = checkLen(m.buffersLength(), 4, "buffers");
        List<ConstData> out = new ArrayList<>(count);
        Buffer b = new Buffer();
        for (int i = 0; i < count; i++) {
            m.buffers(b, i);
            int len = checkLen(b.dataLength(), 1, "buffer " + i);
            if (len == 0) {
                out.add(b.dataVector() == null ? ConstData.EMPTY : ConstData.EMPTY_VECTOR);
                continue;
            }
            ByteBuffer data = b.dataAsByteBuffer();
            if (data == null || data.remaining() < len) throw fail("buffer " + i + " data lies outside the file");
            byte[] bytes = new byte[len];
            data.get(bytes);
            out.add(ConstData.adopt(bytes));
        }
        return out;
    }

    private List<OpCode> readOpcodes(Model m) {
        int count = checkLen(m.operatorCodesLength(), 4, "operator_codes");
        List<OpCode> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            OperatorCode c = m.operatorCodes(i);
            int deprecated = c.deprecatedBuiltinCode();
            int raw = c.builtinCode();
            // TFLite's GetBuiltinCode: the larger of the two fields (old files only set the deprecated one).
            int code = Math.max(raw, deprecated);
            if (code < 0) throw fail("operator code " + i + " has negative builtin code " + code);
            out.add(new OpCode(code, raw, deprecated, c.customCode(), c.version()));
        }
        return out;
    }

    private Subgraph readSubgraph(SubGraph sg, int s, List<ConstData> buffers, List<OpCode> opcodes) {
        String where = "subgraph " + s;
        int tCount = checkLen(sg.tensorsLength(), 4, where + " tensors");
        List<Tensor> tensors = new ArrayList<>(tCount);
        org.tensorflow.lite.schema.Tensor t = new org.tensorflow.lite.schema.Tensor();
        for (int i = 0; i < tCount; i++) tensors.add(readTensor(sg.tensors(t, i), i, buffers));
        List<Integer> inputs = indexList(sg.inputsLength(), sg::inputs, tCount, where + " inputs");
        List<Integer> outputs = indexList(sg.outputsLength(), sg::outputs, tCount, where + " outputs");
        int oCount = checkLen(sg.operatorsLength(), 4, where + " operators");
        List<Op> ops = new ArrayList<>(oCount);
        Operator op = new Operator();
        for (int i = 0; i < oCount; i++) ops.add(readOp(sg.operators(op, i), i, tCount, opcodes));
        return new Subgraph(sg.name(), tensors, ops, inputs, outputs, present("tensors", sg.tensorsVector(),
                "inputs", sg.inputsVector(), "outputs", sg.outputsVector(), "operators", sg.operatorsVector()));
    }

    private Tensor readTensor(org.tensorflow.lite.schema.Tensor t, int id, List<ConstData> buffers) {
        String name = t.name();
        String where = "tensor " + id + (name == null ? "" : " '" + name + "'");
        int[] dims = ints(t.shapeLength(), t::shape, where + " shape");
        for (int d : dims) if (d < -1) throw fail(where + " has invalid dimension " + d);
        Shape sig = t.shapeSignatureLength() == 0 && t.shapeSignatureVector() == null ? null
                : Shape.of(ints(t.shapeSignatureLength(), t::shapeSignature, where + " shape_signature"));
        DType dtype;
        try {
            dtype = DType.ofCode(t.type());
        } catch (IllegalArgumentException e) {
            throw fail(where + " has unknown type code " + t.type());
        }
        long b = t.buffer();
        if (b < 0 || b >= buffers.size()) throw fail(where + " points to buffer " + b + " but the model has " + buffers.size());
        ConstData data = buffers.get((int) b);
        Shape shape = Shape.of(dims);
        if (!data.isEmpty() && dtype != DType.STRING && dtype != DType.INT4 && !shape.isDynamic()) {
            long expected = shape.numElements() * dtype.bytes();
            if (expected != data.length()) {
                throw fail(where + " has shape " + shape + " " + dtype.label() + " (" + expected + " bytes) but its buffer " + b + " holds " + data.length() + " bytes");
            }
        }
        if (t.sparsity() != null) throw fail(where + " is sparse; sparse tensors are not supported");
        if (t.variantTensorsLength() > 0) throw fail(where + " has variant sub-types, which are not supported");
        Quantization q = readQuantization(t.quantization(), where);
        return new Tensor(id, name, dtype, shape, sig, q, (int) b, data.isEmpty() ? null : data, t.isVariable(), t.hasRank(),
                present("shape", t.shapeVector(), "variant_tensors", t.variantTensorsVector()));
    }

    private Quantization readQuantization(QuantizationParameters q, String where) {
        if (q == null) return null;
        if (q.detailsType() != 0) throw fail(where + " uses custom quantization details, which are not supported");
        float[] min = floats(q.minLength(), q::min, where + " min");
        float[] max = floats(q.maxLength(), q::max, where + " max");
        float[] scale = floats(q.scaleLength(), q::scale, where + " scale");
        int zl = checkLen(q.zeroPointLength(), 8, where + " zero_point");
        long[] zp = new long[zl];
        for (int i = 0; i < zl; i++) zp[i] = q.zeroPoint(i);
        return new Quantization(min, max, scale, zp, q.quantizedDimension(), present("min", q.minVector(), "max", q.maxVector(),
                "scale", q.scaleVector(), "zero_point", q.zeroPointVector()));
    }

    private Op readOp(Operator op, int index, int tensorCount, List<OpCode> opcodes) {
        long oc = op.opcodeIndex();
        if (oc < 0 || oc >= opcodes.size()) throw fail("operator " + index + " has opcode index " + oc + " but the model has " + opcodes.size() + " operator codes");
        String kind = opcodes.get((int) oc).name();
        String where = "operator " + index + " (" + kind + ")";
        List<Integer> inputs = new ArrayList<>();
        for (int i = 0; i < checkLen(op.inputsLength(), 4, where + " inputs"); i++) {
            int v = op.inputs(i);
            if (v < -1 || v >= tensorCount) throw fail(where + " input " + i + " is tensor " + v + " of " + tensorCount);
            inputs.add(v);
        }
        List<Integer> outputs = indexList(op.outputsLength(), op::outputs, tensorCount, where + " outputs");
        List<Integer> inter = indexList(op.intermediatesLength(), op::intermediates, tensorCount, where + " intermediates");
        Options options;
        try {
            options = OptionsCodec.decode(builtinOptions(op, where));
        } catch (IllegalStateException e) {
            throw fail(where + ": " + e.getMessage());
        }
        int coLen = checkLen(op.customOptionsLength(), 1, where + " custom_options");
        byte[] custom = new byte[coLen];
        for (int i = 0; i < coLen; i++) custom[i] = (byte) op.customOptions(i);
        int mvLen = checkLen(op.mutatingVariableInputsLength(), 1, where + " mutating_variable_inputs");
        boolean[] mutating = new boolean[mvLen];
        for (int i = 0; i < mvLen; i++) mutating[i] = op.mutatingVariableInputs(i);
        return new Op((int) oc, kind, inputs, outputs, inter, options, custom, op.customOptionsFormat(), mutating,
                present("inputs", op.inputsVector(), "outputs", op.outputsVector(), "builtin_options", options.isNone() ? null : options,
                        "custom_options", op.customOptionsVector(), "mutating_variable_inputs", op.mutatingVariableInputsVector(),
                        "intermediates", op.intermediatesVector()));
    }

    /**
     * The operator's builtin options, unpacked alone. {@code Operator.unpack()} would also unpack every other
     * vector of the operator, and the generated code allocates each vector at the length the file claims before
     * reading it, so one corrupt length made it allocate gigabytes. The options table's own vectors (e.g.
     * {@code ReshapeOptions.new_shape}) are checked against the file size before it is unpacked.
     */
    private BuiltinOptionsUnion builtinOptions(Operator op, String where) {
        BuiltinOptionsUnion union = new BuiltinOptionsUnion();
        byte type = op.builtinOptionsType();
        union.setType(type);
        OptionsTable table = OptionsTable.of(type);
        if (table == null) return union;
        Table value = table.newTable();
        if (op.builtinOptions(value) == null) return union;
        for (Method length : table.lengths) checkLen(table.invokeInt(length, value), 1, where + " " + table.name + "." + length.getName());
        Object unpacked = table.unpack(value);
        table.clearAbsentVectors(value, unpacked);
        union.setValue(unpacked);
        return union;
    }

    /** Reflective access to one generated options table class: its vector-length accessors and its unpack(). */
    private static final class OptionsTable {
        private static final ClassValue<OptionsTable> BY_CLASS = new ClassValue<>() {
            @Override protected OptionsTable computeValue(Class<?> cls) { return new OptionsTable(cls); }
        };

        final String name;
        final List<Method> lengths = new ArrayList<>();
        private final java.lang.reflect.Constructor<?> constructor;
        private final Method unpack;
        /** Per vector field: the accessor that returns null when the field is absent, and the object API's setter. */
        private final List<Method[]> vectorPresence = new ArrayList<>();

        private OptionsTable(Class<?> cls) {
            name = cls.getSimpleName();
            try {
                constructor = cls.getConstructor();
                unpack = cls.getMethod("unpack");
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException("schema class " + name + " has no unpack()", e);
            }
            for (Method m : cls.getMethods()) {
                if (m.getName().endsWith("Length") && m.getParameterCount() == 0 && m.getReturnType() == int.class
                        && !Modifier.isStatic(m.getModifiers())) lengths.add(m);
            }
            for (Method length : lengths) {
                String field = length.getName().substring(0, length.getName().length() - "Length".length());
                Method probe = noArg(cls, field + "AsByteBuffer");
                if (probe == null) probe = noArg(cls, field + "Vector");
                Method setter = setter(unpack.getReturnType(), "set" + Character.toUpperCase(field.charAt(0)) + field.substring(1));
                if (probe == null || setter == null) throw new IllegalStateException("schema class " + name + " has no presence accessor or setter for " + field);
                vectorPresence.add(new Method[] {probe, setter});
            }
        }

        /**
         * {@code unpack()} turns an absent vector into an empty array, which the object API would then write as a
         * present, empty vector: put back null for every vector the table does not have.
         */
        void clearAbsentVectors(Table table, Object unpacked) {
            for (Method[] m : vectorPresence) {
                if (invoke(() -> m[0].invoke(table)) == null) invoke(() -> m[1].invoke(unpacked, (Object) null));
            }
        }

        private static Method noArg(Class<?> cls, String name) {
            try {
                return cls.getMethod(name);
            } catch (NoSuchMethodException e) {
                return null;
            }
        }

        private static Method setter(Class<?> cls, String name) {
            for (Method m : cls.getMethods()) if (m.getName().equals(name) && m.getParameterCount() == 1) return m;
            return null;
        }

        /** The table class for a union type code, or null for NONE and codes this schema version does not know. */
        static OptionsTable of(byte type) {
            int t = type & 0xFF;
            if (t == BuiltinOptions.NONE || t >= BuiltinOptions.names.length) return null;
            try {
                return BY_CLASS.get(Class.forName("org.tensorflow.lite.schema." + BuiltinOptions.names[t]));
            } catch (ClassNotFoundException e) {
                return null;
            }
        }

        Table newTable() { return (Table) invoke(() -> constructor.newInstance()); }

        Object unpack(Table t) { return invoke(() -> unpack.invoke(t)); }

        int invokeInt(Method m, Table t) { return (Integer) invoke(() -> m.invoke(t)); }

        /** Unwraps what the generated code threw (e.g. IndexOutOfBoundsException), so read() reports it as such. */
        private static Object invoke(java.util.concurrent.Callable<Object> call) {
            try {
                return call.call();
            } catch (java.lang.reflect.InvocationTargetException e) {
                if (e.getCause() instanceof RuntimeException r) throw r;
                if (e.getCause() instanceof Error err) throw err;
                throw new IllegalStateException(e.getCause());
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("cannot use the schema's options classes: " + e, e);
            }
        }
    }

    private List<Integer> indexList(int len, java.util.function.IntUnaryOperator get, int tensorCount, String what) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < checkLen(len, 4, what); i++) {
            int v = get.applyAsInt(i);
            if (v < 0 || v >= tensorCount) throw fail(what + "[" + i + "] is tensor " + v + " of " + tensorCount);
            out.add(v);
        }
        return out;
    }

    private int[] ints(int len, java.util.function.IntUnaryOperator get, String what) {
        int[] out = new int[checkLen(len, 4, what)];
        for (int i = 0; i < out.length; i++) out[i] = get.applyAsInt(i);
        return out;
    }

    private float[] floats(int len, java.util.function.IntToDoubleFunction get, String what) {
        float[] out = new float[checkLen(len, 4, what)];
        for (int i = 0; i < out.length; i++) out[i] = (float) get.applyAsDouble(i);
        return out;
    }

    /** A vector can never hold more elements than the file has bytes for; refuse before allocating. */
    private int checkLen(int len, int elemBytes, String what) {
        if (len < 0 || (long) len * elemBytes > bb.capacity()) throw fail(what + " claims " + len + " elements, more than the file can hold");
        return len;
    }

    private ModelFormatException fail(String msg) { return new ModelFormatException(source + ": " + msg); }

    private static String printable(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) sb.append(x >= 32 && x < 127 ? (char) x : '?');
        return sb.toString();
    }

    private static String firstLine(String s) {
        int i = s.indexOf('\n');
        return i < 0 ? s : s.substring(0, i);
    }
}
