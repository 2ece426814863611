package io.tinyfit.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The immutable IR of a whole model. Subgraph 0 is the main graph; the convenience accessors
 * ({@link #tensors()}, {@link #ops()}, {@link #inputs()}, {@link #outputs()}) read it.
 *
 * @param source         where the model came from (a file name, or a builder's name), for error messages
 * @param buffers        the model's buffer table; index 0 is the empty sentinel
 * @param metadataBuffer the deprecated {@code metadata_buffer} list, kept for round trips
 * @param presence       which of the model table's vectors ({@code operator_codes}, {@code subgraphs},
 *                       {@code buffers}, {@code metadata_buffer}, {@code metadata}, {@code signature_defs}) the file had
 */
public record Graph(String source, long version, String description, List<OpCode> opcodes, List<Subgraph> subgraphs,
                    List<ConstData> buffers, List<Metadata> metadata, List<SignatureDef> signatureDefs,
                    List<Integer> metadataBuffer, Presence presence) {

    public static final String OFFLINE_MEMORY_ALLOCATION = "OfflineMemoryAllocation";

    public Graph {
        opcodes = List.copyOf(opcodes);
        subgraphs = List.copyOf(subgraphs);
        buffers = List.copyOf(buffers);
        metadata = List.copyOf(metadata);
        signatureDefs = List.copyOf(signatureDefs);
        metadataBuffer = List.copyOf(metadataBuffer);
        presence = presence == null ? Presence.BUILT : presence;
        if (subgraphs.isEmpty()) throw new IllegalArgumentException(source + ": model has no subgraph");
    }

    /** A model built in code. */
    public Graph(String source, long version, String description, List<OpCode> opcodes, List<Subgraph> subgraphs,
                 List<ConstData> buffers, List<Metadata> metadata, List<SignatureDef> signatureDefs, List<Integer> metadataBuffer) {
        this(source, version, description, opcodes, subgraphs, buffers, metadata, signatureDefs, metadataBuffer, Presence.BUILT);
    }

    public Subgraph main() { return subgraphs.get(0); }
    public List<Tensor> tensors() { return main().tensors(); }
    public List<Op> ops() { return main().ops(); }
    public List<Integer> inputs() { return main().inputs(); }
    public List<Integer> outputs() { return main().outputs(); }
    public Tensor tensor(int id) { return main().tensor(id); }

    /** Total tensor count over all subgraphs (the N of TFLM's offline plan). */
    public int totalTensorCount() {
        return subgraphs.stream().mapToInt(s -> s.tensors().size()).sum();
    }

    public Optional<ConstData> metadataBytes(String name) {
        for (Metadata m : metadata) if (name.equals(m.name())) return Optional.of(buffers.get(m.buffer()));
        return Optional.empty();
    }

    /** A copy whose main subgraph is replaced. */
    public Graph withMain(Subgraph main) {
        List<Subgraph> s = new ArrayList<>(subgraphs);
        s.set(0, main);
        return new Graph(source, version, description, opcodes, s, buffers, metadata, signatureDefs, metadataBuffer, presence);
    }

    /** A copy with tensor {@code t.id()} of the main subgraph replaced by {@code t}. */
    public Graph withTensor(Tensor t) {
        List<Tensor> ts = new ArrayList<>(tensors());
        ts.set(t.id(), t);
        return withMain(main().withTensors(ts));
    }

    /** A copy with operator {@code index} of the main subgraph replaced by {@code op}. */
    public Graph withOp(int index, Op op) {
        List<Op> ops = new ArrayList<>(ops());
        ops.set(index, op);
        return withOps(ops);
    }

    /** A copy with the main subgraph's inputs and outputs replaced. */
    public Graph withIo(List<Integer> inputs, List<Integer> outputs) {
        Subgraph m = main();
        return withMain(new Subgraph(m.name(), m.tensors(), m.ops(), inputs, outputs));
    }

    /** A copy with the main subgraph's operators in a new order. */
    public Graph withOps(List<Op> ops) { return withMain(main().withOps(ops)); }

    /**
     * A copy with a metadata entry added, or replaced when one of that name exists. A replaced entry's bytes go
     * into its own buffer when no tensor or other entry shares it (re-optimising a written model must not leave
     * the old plan behind as an orphan buffer); otherwise, and for a new entry, into a new buffer appended to the
     * buffer table, so that no other index moves.
     */
    public Graph withMetadata(String name, byte[] bytes) {
        List<ConstData> b = new ArrayList<>(buffers);
        List<Metadata> m = new ArrayList<>(metadata);
        int entry = -1;
        for (int i = 0; i < m.size(); i++) if (name.equals(m.get(i).name())) { entry = i; break; }
        int idx;
        if (entry >= 0 && soleUser(m.get(entry).buffer(), entry)) {
            idx = m.get(entry).buffer();
            b.set(idx, ConstData.copyOf(bytes));
        } else {
            b.add(ConstData.copyOf(bytes));
            idx = b.size() - 1;
        }
        if (entry >= 0) m.set(entry, new Metadata(name, idx));
        else m.add(new Metadata(name, idx));
        return new Graph(source, version, description, opcodes, subgraphs, b, m, signatureDefs, metadataBuffer, presence);
    }

    /** True when buffer {@code buffer} is read by metadata entry {@code entry} only (no tensor, no other entry). */
    private boolean soleUser(int buffer, int entry) {
        if (buffer == 0) return false; // the empty sentinel
        for (int i = 0; i < metadata.size(); i++) if (i != entry && metadata.get(i).buffer() == buffer) return false;
        for (int i : metadataBuffer) if (i == buffer) return false;
        for (Subgraph s : subgraphs) for (Tensor t : s.tensors()) if (t.buffer() == buffer) return false;
        return true;
    }

    public Graph withSource(String newSource) {
        return new Graph(newSource, version, description, opcodes, subgraphs, buffers, metadata, signatureDefs, metadataBuffer, presence);
    }
}
