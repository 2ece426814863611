package io.tinyfit.tflite;

import io.tinyfit.model.DType;
import io.tinyfit.model.Graph;
import org.tensorflow.lite.schema.Buffer;
import org.tensorflow.lite.schema.Metadata;
import org.tensorflow.lite.schema.Model;
import org.tensorflow.lite.schema.Operator;
import org.tensorflow.lite.schema.OperatorCode;
import org.tensorflow.lite.schema.SubGraph;
import org.tensorflow.lite.schema.Tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * What an unmodified TFLite Micro does with a {@code .tflite} file when it loads it and allocates its tensors,
 * decided from the file's bytes alone: the checks TFLM itself makes (a file failing one is refused by
 * {@code AllocateTensors()}), and the reads TFLM makes without a check that would fault or corrupt memory on a
 * microcontroller. Each rule cites the TFLM source it mirrors (TFLM at the golden data's commit,
 * 90b983c2b3f1480642e040bbd2ddb37b998f3424). tinyfit runs it on every file it writes, before the file is renamed
 * into place, and {@code analyze} on every model it reads.
 */
public final class TflmLint {
    /** How TFLM meets a finding. */
    public enum Severity {
        /** TFLM checks it and refuses the model. */
        REFUSED("refused by TFLM"),
        /** TFLM does not check it; on a microcontroller it faults or reads and writes the wrong memory. */
        FAULTS("unchecked by TFLM, faults on a microcontroller");

        public final String label;

        Severity(String label) { this.label = label; }
    }

    /** A TFLM behaviour the lint mirrors. */
    public enum Rule {
        SCHEMA_VERSION(Severity.REFUSED, "schema version other than 3",
                "examples/*/main_functions.cc and every TFLM example: model->version() != TFLITE_SCHEMA_VERSION "
                        + "(\"Model provided is schema version %d not equal to supported version %d.\"); the application refuses the model"),
        OPCODE_INDEX(Severity.REFUSED, "operator code index out of range",
                "micro_interpreter.cc PrepareNodeAndRegistrationDataFromFlatbuffer: index >= opcodes->size() "
                        + "(\"Missing registration for opcode_index %d\")"),
        BUILTIN_WITH_CUSTOM_OPTIONS(Severity.REFUSED, "builtin operator with custom_options",
                "micro_interpreter.cc PrepareNodeAndRegistrationDataFromFlatbuffer: op_type != BuiltinOperator_CUSTOM && "
                        + "op->custom_options() != nullptr (\"Unsupported behavior: found builtin operator %s with custom options.\"); "
                        + "a present vector is refused even with zero bytes"),
        INTERMEDIATE_WITH_SIZE(Severity.REFUSED, "intermediate tensor of non-zero size",
                "micro_allocation_info.cc AllocationInfoBuilder::ValidateSubgraph (\"Does not support intermediate tensor with non-zero size: %d\")"),
        OFFLINE_PLAN_COUNT(Severity.REFUSED, "offline plan entry count differs from the tensor count over all subgraphs",
                "micro_allocation_info.cc AllocationInfoBuilder::GetOfflinePlannedOffsets: info_.tensor_count != nbr_tensors "
                        + "(\"Nbr of offline buffer offsets (%d) in metadata not equal nbr tensors (%d)\")"),
        DUPLICATE_OFFLINE_PLAN(Severity.REFUSED, "more than one OfflineMemoryAllocation entry",
                "micro_allocation_info.cc AllocationInfoBuilder::GetOfflinePlannedOffsets loops over every metadata entry and "
                        + "silently keeps the last match; tinyfit refuses the ambiguity rather than guess which plan TFLM uses"),
        PLAN_BUFFER_NOT_INLINE(Severity.FAULTS, "offline plan buffer missing or not stored inline in the flatbuffer",
                "micro_allocation_info.cc GetOfflinePlannedOffsets: auto* array = buffer->data(); array->data() without a null check"),
        PLAN_BUFFER_MISALIGNED(Severity.FAULTS, "offline plan data not 4-byte aligned",
                "micro_allocation_info.cc GetOfflinePlannedOffsets: reinterpret_cast<const uint32_t*>(array->data()); "
                        + "word loads from an unaligned address fault on Cortex-M0/M0+"),
        PLAN_BUFFER_SHORT(Severity.FAULTS, "offline plan data shorter than its header and entries",
                "micro_allocation_info.cc GetOfflinePlannedOffsets reads metadata_buffer[2] and InitializeAllocationInfo reads "
                        + "offline_offsets[i] for every tensor, past the end of a short buffer"),
        OFFSET_NEGATIVE(Severity.FAULTS, "offline offset below -1",
                "micro_allocator.cc CommitPlan: *current->output_ptr = starting_point + offset, below the arena start"),
        OFFSET_MISALIGNED(Severity.FAULTS, "offline offset not a multiple of 16",
                "micro_allocator.cc CommitPlan: *current->output_ptr = starting_point + offset; TFLM aligns every planned "
                        + "buffer to MicroArenaBufferAlignment() = 16 and kernels read int32/float tensors with word loads");

        public final Severity severity;
        public final String summary;
        public final String tflmSource;

        Rule(Severity severity, String summary, String tflmSource) {
            this.severity = severity;
            this.summary = summary;
            this.tflmSource = tflmSource;
        }
    }

    /** One finding: the rule and what in the file breaks it. */
    public record Finding(Rule rule, String where) {
        public String message() { return where + ": " + rule.summary + " (" + rule.severity.label + ")"; }
    }

    /** The findings on one file. */
    public record Report(String source, List<Finding> findings) {
        public Report {
            findings = List.copyOf(findings);
        }

        /** True when stock TFLM loads the file and nothing in it faults. */
        public boolean passed() { return findings.isEmpty(); }

        /** One line for an error message: the file and each finding. */
        public String describe() {
            StringBuilder sb = new StringBuilder(source);
            for (Finding f : findings) sb.append(sb.length() == source.length() ? ": " : "; ").append(f.message());
            return sb.toString();
        }
    }

    private final ByteBuffer bb;
    private final List<Finding> out = new ArrayList<>();

    private TflmLint(byte[] bytes) { this.bb = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN); }

    /** The findings on a file's bytes. */
    public static Report check(byte[] bytes, String source) {
        TflmLint l = new TflmLint(bytes);
        l.run();
        return new Report(source, l.out);
    }

    /** The findings on the file the writer makes of a model. */
    public static Report check(Graph g) { return check(ModelWriter.toBytes(g), g.source()); }

    private void run() {
        RawTable model = RawTable.root(bb, Model.class);
        long version = (long) model.scalar(field(model, "version")) & 0xFFFFFFFFL;
        if (version != ModelReader.SCHEMA_VERSION) add(Rule.SCHEMA_VERSION, "model: schema version " + version);
        List<RawTable> codes = elements(model, "operatorCodes", OperatorCode.class);
        List<RawTable> subgraphs = elements(model, "subgraphs", SubGraph.class);
        int totalTensors = 0;
        for (int s = 0; s < subgraphs.size(); s++) {
            RawTable sg = subgraphs.get(s);
            List<RawTable> tensors = elements(sg, "tensors", Tensor.class);
            totalTensors += tensors.size();
            List<RawTable> ops = elements(sg, "operators", Operator.class);
            for (int i = 0; i < ops.size(); i++) operator(ops.get(i), "subgraph " + s + " operator " + i, codes, tensors);
        }
        offlinePlans(model, totalTensors);
    }

    private void operator(RawTable op, String where, List<RawTable> codes, List<RawTable> tensors) {
        long index = (long) op.scalar(field(op, "opcodeIndex")) & 0xFFFFFFFFL;
        if (index >= codes.size()) {
            add(Rule.OPCODE_INDEX, where + ": opcode_index " + index + " of " + codes.size() + " operator codes");
            return;
        }
        RawTable code = codes.get((int) index);
        int builtin = (int) Math.max(code.scalar(field(code, "builtinCode")), code.scalar(field(code, "deprecatedBuiltinCode")));
        String kind = builtin < org.tensorflow.lite.schema.BuiltinOperator.names.length
                ? org.tensorflow.lite.schema.BuiltinOperator.name(builtin) : "BUILTIN_" + builtin;
        if (builtin != org.tensorflow.lite.schema.BuiltinOperator.CUSTOM && op.has(field(op, "customOptions").slot())) {
            add(Rule.BUILTIN_WITH_CUSTOM_OPTIONS, where + " (" + kind + "): custom_options present ("
                    + op.length(op.target(field(op, "customOptions").slot())) + " bytes)");
        }
        TableLayout.Field inter = field(op, "intermediates");
        if (!op.has(inter.slot())) return;
        int p = op.target(inter.slot());
        for (int n = 0; n < op.length(p); n++) {
            int t = bb.getInt(RawTable.element(p, 4, n));
            if (t < 0 || t >= tensors.size()) continue; // the reader names a bad index; TFLM would read out of bounds
            long bytes = tensorBytes(tensors.get(t));
            if (bytes != 0) add(Rule.INTERMEDIATE_WITH_SIZE, where + " (" + kind + "): intermediate tensor " + t + " has " + bytes + " bytes");
        }
    }

    /** TfLiteEvalTensorByteLength: elements (1 for a tensor without a shape vector) times the type's size. */
    private long tensorBytes(RawTable t) {
        long elements = 1;
        TableLayout.Field shape = field(t, "shape");
        if (t.has(shape.slot())) {
            int p = t.target(shape.slot());
            for (int i = 0; i < t.length(p); i++) elements *= bb.getInt(RawTable.element(p, 4, i));
        }
        int type = (int) t.scalar(field(t, "type"));
        try {
            return elements * DType.ofCode(type).bytes();
        } catch (IllegalArgumentException e) {
            return elements;
        }
    }

    private void offlinePlans(RawTable model, int totalTensors) {
        List<RawTable> buffers = elements(model, "buffers", Buffer.class);
        int seen = 0;
        for (RawTable md : elements(model, "metadata", Metadata.class)) {
            if (!Graph.OFFLINE_MEMORY_ALLOCATION.equals(md.stringField("name"))) continue;
            if (++seen == 2) add(Rule.DUPLICATE_OFFLINE_PLAN, "model metadata: a second OfflineMemoryAllocation entry");
            long index = (long) md.scalar(field(md, "buffer")) & 0xFFFFFFFFL;
            String where = "OfflineMemoryAllocation (buffer " + index + ")";
            if (index >= buffers.size()) {
                add(Rule.PLAN_BUFFER_NOT_INLINE, where + ": no such buffer (the model has " + buffers.size() + ")");
                continue;
            }
            RawTable buf = buffers.get((int) index);
            TableLayout.Field data = field(buf, "data");
            if (!buf.has(data.slot())) {
                add(Rule.PLAN_BUFFER_NOT_INLINE, where + ": the buffer has no data vector"
                        + (buf.vtableSlots() > buf.layout.slotCount ? " (its data is stored outside the flatbuffer)" : ""));
                continue;
            }
            int vec = buf.target(data.slot());
            int len = buf.length(vec);
            int start = vec + 4;
            if (start % 4 != 0) add(Rule.PLAN_BUFFER_MISALIGNED, where + ": data starts at file offset " + start);
            if (len < 12) {
                add(Rule.PLAN_BUFFER_SHORT, where + ": " + len + " bytes, shorter than the 3-word header");
                continue;
            }
            int n = bb.getInt(start + 8);
            if (n != totalTensors) add(Rule.OFFLINE_PLAN_COUNT, where + ": " + n + " entries for " + totalTensors + " tensors");
            int entries = Math.min(n, totalTensors);
            if (len < 12 + 4L * entries) {
                add(Rule.PLAN_BUFFER_SHORT, where + ": " + len + " bytes hold fewer than " + entries + " entries");
                entries = (len - 12) / 4;
            }
            for (int t = 0; t < entries; t++) {
                int off = bb.getInt(start + 12 + 4 * t);
                if (off < -1) add(Rule.OFFSET_NEGATIVE, where + ": tensor " + t + " at offset " + off);
                else if (off >= 0 && off % 16 != 0) add(Rule.OFFSET_MISALIGNED, where + ": tensor " + t + " at offset " + off);
            }
        }
    }

    private static List<RawTable> elements(RawTable t, String vector, Class<? extends com.google.flatbuffers.Table> type) {
        return t.tables(vector, type);
    }

    private static TableLayout.Field field(RawTable t, String name) { return t.layout.field(name); }

    private void add(Rule rule, String where) { out.add(new Finding(rule, where)); }
}
