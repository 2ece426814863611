package io.tinyfit.tflite;

import com.google.flatbuffers.FlatBufferBuilder;
import io.tinyfit.model.ConstData;
import io.tinyfit.model.Graph;
import io.tinyfit.model.Metadata;
import io.tinyfit.model.Op;
import io.tinyfit.model.OpCode;
import io.tinyfit.model.Quantization;
import io.tinyfit.model.SignatureDef;
import io.tinyfit.model.Subgraph;
import io.tinyfit.model.Tensor;
import io.tinyfit.util.AtomicFiles;
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

/**
 * Writes the IR back to a {@code .tflite} flatbuffer with the official schema classes. Every field the reader
 * keeps is written, so read → write → read is lossless. Buffer data is 16-byte aligned, as the TFLite converter
 * and Vela write it (TFLM reads the offline memory plan through a raw {@code int32*}).
 */
public final class ModelWriter {
    private static final int BUFFER_ALIGNMENT = 16;

    private ModelWriter() {}

    public static byte[] toBytes(Graph g) {
        FlatBufferBuilder fbb = new FlatBufferBuilder(1 << 16);
        // Buffers first: flatbuffers builds back to front, so the big data ends up at the end of the file.
        int[] bufferOffsets = new int[g.buffers().size()];
        for (int i = g.buffers().size() - 1; i >= 0; i--) bufferOffsets[i] = packBuffer(fbb, g.buffers().get(i));
        int buffersVec = Model.createBuffersVector(fbb, bufferOffsets);

        int[] codes = new int[g.opcodes().size()];
        for (int i = 0; i < codes.length; i++) codes[i] = OperatorCode.pack(fbb, opcode(g.opcodes().get(i)));
        int codesVec = Model.createOperatorCodesVector(fbb, codes);

        int[] sgs = new int[g.subgraphs().size()];
        for (int i = 0; i < sgs.length; i++) sgs[i] = SubGraph.pack(fbb, subgraph(g.subgraphs().get(i)));
        int sgVec = Model.createSubgraphsVector(fbb, sgs);

        int desc = g.description() == null ? 0 : fbb.createString(g.description());
        int mdBufVec = g.metadataBuffer().isEmpty() ? 0
                : Model.createMetadataBufferVector(fbb, g.metadataBuffer().stream().mapToInt(Integer::intValue).toArray());
        int mdVec = 0;
        if (!g.metadata().isEmpty()) {
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
        if (!g.signatureDefs().isEmpty()) {
            int[] sd = new int[g.signatureDefs().size()];
            for (int i = 0; i < sd.length; i++) sd[i] = org.tensorflow.lite.schema.SignatureDef.pack(fbb, signature(g.signatureDefs().get(i)));
            sigVec = Model.createSignatureDefsVector(fbb, sd);
        }
        Model.startModel(fbb);
        Model.addVersion(fbb, g.version());
        Model.addOperatorCodes(fbb, codesVec);
        Model.addSubgraphs(fbb, sgVec);
        if (desc != 0) Model.addDescription(fbb, desc);
        Model.addBuffers(fbb, buffersVec);
        if (mdBufVec != 0) Model.addMetadataBuffer(fbb, mdBufVec);
        if (mdVec != 0) Model.addMetadata(fbb, mdVec);
        if (sigVec != 0) Model.addSignatureDefs(fbb, sigVec);
        int root = Model.endModel(fbb);
        Model.finishModelBuffer(fbb, root);
        return fbb.sizedByteArray();
    }

    /** Writes atomically: a temporary file beside the target, then a rename, so no partial file is ever left. */
    public static void write(Graph g, Path file) {
        AtomicFiles.write(file, toBytes(g));
    }

    private static int packBuffer(FlatBufferBuilder fbb, ConstData data) {
        int vec = 0;
        if (!data.isEmpty()) {
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
        TensorT[] tensors = new TensorT[s.tensors().size()];
        for (int i = 0; i < tensors.length; i++) tensors[i] = tensor(s.tensors().get(i));
        t.setTensors(tensors);
        t.setInputs(ints(s.inputs()));
        t.setOutputs(ints(s.outputs()));
        OperatorT[] ops = new OperatorT[s.ops().size()];
        for (int i = 0; i < ops.length; i++) ops[i] = operator(s.ops().get(i));
        t.setOperators(ops);
        t.setName(s.name());
        return t;
    }

    private static TensorT tensor(Tensor x) {
        TensorT t = new TensorT();
        t.setShape(x.shape().toArray());
        t.setType((byte) x.dtype().code());
        t.setBuffer(x.buffer());
        t.setName(x.name());
        if (x.quantization() != null) t.setQuantization(quantization(x.quantization()));
        t.setIsVariable(x.variable());
        t.setShapeSignature(x.shapeSignature() == null ? null : x.shapeSignature().toArray());
        t.setHasRank(x.hasRank());
        return t;
    }

    private static QuantizationParametersT quantization(Quantization q) {
        QuantizationParametersT t = new QuantizationParametersT();
        t.setMin(q.min());
        t.setMax(q.max());
        t.setScale(q.scales());
        t.setZeroPoint(q.zeroPoints());
        t.setQuantizedDimension(q.quantizedDimension());
        return t;
    }

    private static OperatorT operator(Op op) {
        OperatorT t = new OperatorT();
        t.setOpcodeIndex(op.opcodeIndex());
        t.setInputs(ints(op.inputs()));
        t.setOutputs(ints(op.outputs()));
        t.setBuiltinOptions(OptionsCodec.encode(op.options()));
        byte[] co = op.customOptions();
        int[] coInts = new int[co.length];
        for (int i = 0; i < co.length; i++) coInts[i] = co[i] & 0xFF;
        t.setCustomOptions(coInts);
        t.setCustomOptionsFormat((byte) op.customOptionsFormat());
        t.setMutatingVariableInputs(op.mutatingVariableInputs());
        t.setIntermediates(ints(op.intermediates()));
        return t;
    }

    private static SignatureDefT signature(SignatureDef s) {
        SignatureDefT t = new SignatureDefT();
        t.setSignatureKey(s.key());
        t.setSubgraphIndex(s.subgraphIndex());
        t.setInputs(maps(s.inputs()));
        t.setOutputs(maps(s.outputs()));
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

    private static int[] ints(List<Integer> l) { return l.stream().mapToInt(Integer::intValue).toArray(); }
}
