package io.tinyfit.tflite;

import com.google.flatbuffers.FlatBufferBuilder;
import io.tinyfit.model.ConstData;
import io.tinyfit.model.Graph;
import io.tinyfit.model.Metadata;
import io.tinyfit.model.ModelFormatException;
import io.tinyfit.model.Op;
import io.tinyfit.model.OpCode;
import io.tinyfit.model.Presence;
import io.tinyfit.model.Quantization;
import io.tinyfit.model.SignatureDef;
import io.tinyfit.model.Subgraph;
import io.tinyfit.model.Tensor;
import org.tensorflow.lite.schema.Buffer;
import org.tensorflow.lite.schema.MetadataT;
import org.tensorflow.lite.schema.Model;
import org.tensorflow.lite.schema.OperatorCode;
import org.tensorflow.lite.schema.OperatorCodeT;
import org.tensorflow.lite.schema.OperatorT;
import org.tensorflow.lite.schema.QuantizationParametersT;
import org.tensorflow.lite.schema.SignatureDefT;
import org.tensorflow.lite.schema.SubGraph;
import org.tensorflow.lite.schema.SubGraphT;
import org.tensorflow.lite.schema.TensorMapT;
import org.tensorflow.lite.schema.TensorT;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Writes the IR back to a {@code .tflite} flatbuffer with the official schema classes. Every field the reader
 * keeps is written, so read → write → read is lossless, and every optional field (vector, string, table, union)
 * is present in the written file exactly when it was in the original ({@link Presence}): TFLM tells an absent
 * vector from an empty one and refuses, for example, a builtin operator with a present {@code custom_options}.
 * The object API writes a field exactly when its value is non-null, so absence is expressed as null below.
 * Buffer data is 16-byte aligned, as the TFLite converter and Vela write it (TFLM reads the offline memory plan
 * through a raw {@code int32*}).
 */
public final class ModelWriter {
    private static final int BUFFER_ALIGNMENT = 16;

    private ModelWriter() {}

    public static byte[] toBytes(Graph g) {
        FlatBufferBuilder fbb = new FlatBufferBuilder(1 << 16);
        // Buffers first: flatbuffers builds back to front, so the big data ends up at the end of the file.
        Presence p = g.presence();
        int[] bufferOffsets = new int[g.buffers().size()];
        for (int i = g.buffers().size() - 1; i >= 0; i--) bufferOffsets[i] = packBuffer(fbb, g.buffers().get(i));
        int buffersVec = p.writes("buffers", bufferOffsets.length > 0, true) ? Model.createBuffersVector(fbb, bufferOffsets) : 0;

        int[] codes = new int[g.opcodes().size()];
        for (int i = 0; i < codes.length; i++) codes[i] = OperatorCode.pack(fbb, opcode(g.opcodes().get(i)));
        int codesVec = p.writes("operator_codes", codes.length > 0, true) ? Model.createOperatorCodesVector(fbb, codes) : 0;

        int[] sgs = new int[g.subgraphs().size()];
        for (int i = 0; i < sgs.length; i++) sgs[i] = SubGraph.pack(fbb, subgraph(g.subgraphs().get(i)));
        int sgVec = Model.createSubgraphsVector(fbb, sgs);

        int desc = g.description() == null ? 0 : fbb.createString(g.description());
        int mdBufVec = !p.writes("metadata_buffer", !g.metadataBuffer().isEmpty(), false) ? 0
                : Model.createMetadataBufferVector(fbb, g.metadataBuffer().stream().mapToInt(Integer::intValue).toArray());
        int mdVec = 0;
        if (p.writes("metadata", !g.metadata().isEmpty(), false)) {
            int[] md = new int[g.metadata().size()];
            for (int i = 0; i < md.length; i++) {
                Metadata m = g.metadata().get(i);
                MetadataT t = new MetadataT();
                t.setName(m.name());
                t.setBuffer(m.buffer());
                md[i] = org.tensorflow.lite.schema.Metadata.pack(fbb, t);
            }
            mdVec = Model.createMetadataVector(fbb, md);
        }
        int sigVec = 0;
        if (p.writes("signature_defs", !g.signatureDefs().isEmpty(), false)) {
            int[] sd = new int[g.signatureDefs().size()];
            for (int i = 0; i < sd.length; i++) sd[i] = org.tensorflow.lite.schema.SignatureDef.pack(fbb, signature(g.signatureDefs().get(i)));
            sigVec = Model.createSignatureDefsVector(fbb, sd);
        }
        Model.startModel(fbb);
        Model.addVersion(fbb, g.version());
        if (codesVec != 0) Model.addOperatorCodes(fbb, codesVec);
        Model.addSubgraphs(fbb, sgVec);
        if (desc != 0) Model.addDescription(fbb, desc);
        if (buffersVec != 0) Model.addBuffers(fbb, buffersVec);
        if (mdBufVec != 0) Model.addMetadataBuffer(fbb, mdBufVec);
        if (mdVec != 0) Model.addMetadata(fbb, mdVec);
        if (sigVec != 0) Model.addSignatureDefs(fbb, sigVec);
        int root = Model.endModel(fbb);
        Model.finishModelBuffer(fbb, root);
        return fbb.sizedByteArray();
    }

    /**
     * The model as tinyfit writes a plan: TFLM's {@code OfflineMemoryAllocation} metadata placing each tensor of
     * {@code offsets} (tensor id to byte offset in the head) there, and tinyfit's {@code marker}; existing entries
     * of those names are replaced.
     */
    public static byte[] toBytes(Graph g, Map<Integer, Long> offsets, TinyfitMarker marker) {
        return toBytes(marker.attachTo(OfflineMemoryAllocation.attach(g, offsets)));
    }

    /**
     * Writes atomically: a temporary file beside the target, then a rename, so no partial file is ever left. The
     * bytes pass {@link TflmLint} first: a file stock TFLM would refuse, or that would fault on a microcontroller,
     * is never written.
     */
    public static void write(Graph g, Path file) { write(toBytes(g), file); }

    /** Writes the model with its offline plan and marker (see {@link #toBytes(Graph, Map, TinyfitMarker)}), as {@link #write(Graph, Path)}. */
    public static void write(Graph g, Map<Integer, Long> offsets, TinyfitMarker marker, Path file) { write(toBytes(g, offsets, marker), file); }

    private static void write(byte[] bytes, Path file) { AtomicFiles.write(file, writable(bytes, file.toString())); }

    /**
     * The bytes of a model file, once they passed {@link TflmLint}: a file stock TFLM would refuse, or that would
     * fault on a microcontroller, is an error naming {@code file} and never written.
     */
    public static byte[] writable(byte[] bytes, String file) {
        TflmLint.Report lint = TflmLint.check(bytes, file);
        if (!lint.passed()) throw new ModelFormatException("not written: " + lint.describe());
        return bytes;
    }

    private static int packBuffer(FlatBufferBuilder fbb, ConstData data) {
        int vec = 0;
        if (data.hasVector()) {
            byte[] bytes = data.toByteArray();
            // startVector pads so that the payload that follows starts on a 16-byte boundary of the final file.
            fbb.startVector(1, bytes.length, BUFFER_ALIGNMENT);
            for (int i = bytes.length - 1; i >= 0; i--) fbb.putByte(bytes[i]);
            vec = fbb.endVector();
        }
        Buffer.startBuffer(fbb);
        if (vec != 0) Buffer.addData(fbb, vec);
        return Buffer.endBuffer(fbb);
    }

    private static OperatorCodeT opcode(OpCode c) {
        OperatorCodeT t = new OperatorCodeT();
        t.setBuiltinCode(c.rawBuiltinCode());
        t.setDeprecatedBuiltinCode((byte) c.deprecatedBuiltinCode());
        t.setCustomCode(c.customCode());
        t.setVersion(c.version());
        return t;
    }

    private static SubGraphT subgraph(Subgraph s) {
        SubGraphT t = new SubGraphT();
        Presence p = s.presence();
        TensorT[] tensors = new TensorT[s.tensors().size()];
        for (int i = 0; i < tensors.length; i++) tensors[i] = tensor(s.tensors().get(i));
        if (p.writes("tensors", tensors.length > 0, true)) t.setTensors(tensors);
        t.setInputs(ints(s.inputs(), p, "inputs", true));
        t.setOutputs(ints(s.outputs(), p, "outputs", true));
        OperatorT[] ops = new OperatorT[s.ops().size()];
        for (int i = 0; i < ops.length; i++) ops[i] = operator(s.ops().get(i));
        if (p.writes("operators", ops.length > 0, true)) t.setOperators(ops);
        t.setName(s.name());
        return t;
    }

    private static TensorT tensor(Tensor x) {
        TensorT t = new TensorT();
        // a scalar may have no shape vector at all (TFLM then uses a zero-length dims array)
        if (x.presence().writes("shape", x.shape().rank() > 0, true)) t.setShape(x.shape().toArray());
        t.setType((byte) x.dtype().code());
        t.setBuffer(x.buffer());
        t.setName(x.name());
        if (x.quantization() != null) t.setQuantization(quantization(x.quantization()));
        t.setIsVariable(x.variable());
        t.setShapeSignature(x.shapeSignature() == null ? null : x.shapeSignature().toArray());
        t.setHasRank(x.hasRank());
        // the reader refuses tensors with variant sub-types, so only an empty vector can have been present
        if (x.presence().had("variant_tensors")) t.setVariantTensors(new org.tensorflow.lite.schema.VariantSubTypeT[0]);
        return t;
    }

    private static QuantizationParametersT quantization(Quantization q) {
        QuantizationParametersT t = new QuantizationParametersT();
        Presence p = q.presence();
        if (p.writes("min", q.min().length > 0, false)) t.setMin(q.min());
        if (p.writes("max", q.max().length > 0, false)) t.setMax(q.max());
        if (p.writes("scale", q.scales().length > 0, false)) t.setScale(q.scales());
        if (p.writes("zero_point", q.zeroPoints().length > 0, false)) t.setZeroPoint(q.zeroPoints());
        t.setQuantizedDimension(q.quantizedDimension());
        return t;
    }

    private static OperatorT operator(Op op) {
        OperatorT t = new OperatorT();
        Presence p = op.presence();
        t.setOpcodeIndex(op.opcodeIndex());
        // TFLM dereferences an operator's inputs and outputs without a null check
        t.setInputs(ints(op.inputs(), p, "inputs", true));
        t.setOutputs(ints(op.outputs(), p, "outputs", true));
        t.setBuiltinOptions(OptionsCodec.encode(op.options()));
        byte[] co = op.customOptions();
        if (p.writes("custom_options", co.length > 0, false)) {
            int[] coInts = new int[co.length];
            for (int i = 0; i < co.length; i++) coInts[i] = co[i] & 0xFF;
            t.setCustomOptions(coInts);
        }
        t.setCustomOptionsFormat((byte) op.customOptionsFormat());
        boolean[] mutating = op.mutatingVariableInputs();
        if (p.writes("mutating_variable_inputs", mutating.length > 0, false)) t.setMutatingVariableInputs(mutating);
        t.setIntermediates(ints(op.intermediates(), p, "intermediates", false));
        return t;
    }

    private static SignatureDefT signature(SignatureDef s) {
        SignatureDefT t = new SignatureDefT();
        t.setSignatureKey(s.key());
        t.setSubgraphIndex(s.subgraphIndex());
        if (s.presence().writes("inputs", !s.inputs().isEmpty(), false)) t.setInputs(maps(s.inputs()));
        if (s.presence().writes("outputs", !s.outputs().isEmpty(), false)) t.setOutputs(maps(s.outputs()));
        return t;
    }

    private static TensorMapT[] maps(List<SignatureDef.TensorMap> list) {
        TensorMapT[] out = new TensorMapT[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = new TensorMapT();
            out[i].setName(list.get(i).name());
            out[i].setTensorIndex(list.get(i).tensorIndex());
        }
        return out;
    }

    /** An int vector field, or null (absent) when the table does not write it. */
    private static int[] ints(List<Integer> l, Presence p, String field, boolean requiredWhenBuilt) {
        return p.writes(field, !l.isEmpty(), requiredWhenBuilt) ? l.stream().mapToInt(Integer::intValue).toArray() : null;
    }
}
