package io.tinyfit.tflite;

import com.google.flatbuffers.Table;
import org.tensorflow.lite.schema.Buffer;
import org.tensorflow.lite.schema.Metadata;
import org.tensorflow.lite.schema.Model;
import org.tensorflow.lite.schema.Operator;
import org.tensorflow.lite.schema.SubGraph;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A byte-level comparison of two {@code .tflite} files, table by table through their vtables: every optional
 * field must be present in both or absent in both, every scalar must have the same value (absent meaning the
 * schema default), vectors and strings the same contents. It is how tinyfit proves that the files it writes are
 * the files it read, apart from what it means to change; the object API cannot, because it reads an absent vector
 * and an empty one alike.
 */
public final class FlatbufferDiff {
    private static final String SCHEMA = "org.tensorflow.lite.schema.";
    /** Unions whose enum class is not the capitalised field name. */
    private static final Map<String, String> UNION_ENUMS = Map.of("details", "QuantizationDetails",
            "arraySegments", "SparseIndexVector", "arrayIndices", "SparseIndexVector");

    private final List<String> out = new ArrayList<>();

    private FlatbufferDiff() {}

    /** Every difference between two files that should be the same model, as readable paths; empty when none. */
    public static List<String> unchanged(byte[] original, byte[] written) {
        FlatbufferDiff d = new FlatbufferDiff();
        d.tables(root(original), root(written), "model");
        return d.out;
    }

    /**
     * Every difference between a model and the file tinyfit wrote for it after optimising, other than the two it
     * means to make: subgraph 0's operators in the new {@code order} (written operator i is original operator
     * {@code order[i]}), and its own metadata entries ({@code ownMetadata}, e.g. the offline plan) with the buffers
     * only they use, which may be added, replaced or dropped.
     */
    public static List<String> afterOptimize(byte[] original, byte[] written, List<Integer> order, Set<String> ownMetadata) {
        FlatbufferDiff d = new FlatbufferDiff();
        RawTable a = root(original);
        RawTable b = root(written);
        for (TableLayout.Field f : a.layout.fields) {
            switch (f.name()) {
                case "subgraphs" -> d.subgraphs(a, b, f, order);
                case "metadata" -> d.metadata(a, b, f, ownMetadata);
                case "buffers" -> d.buffers(a, b, f, ownBuffers(a, ownMetadata), ownBuffers(b, ownMetadata));
                default -> d.field(a, b, f, "model");
            }
        }
        d.unknownSlots(a, b, "model");
        return d.out;
    }

    private static RawTable root(byte[] bytes) {
        return RawTable.root(ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN), Model.class);
    }

    private void tables(RawTable a, RawTable b, String path) {
        for (TableLayout.Field f : a.layout.fields) field(a, b, f, path);
        unknownSlots(a, b, path);
    }

    /** Slots beyond what this schema version knows: the writer cannot reproduce them, so they must not be there. */
    private void unknownSlots(RawTable a, RawTable b, String path) {
        for (int s = a.layout.slotCount; s < Math.max(a.vtableSlots(), b.vtableSlots()); s++) {
            if (a.has(s) || b.has(s)) out.add(path + ": field slot " + s + " (unknown to schema " + a.layout.type.getSimpleName()
                    + ") present in " + (a.has(s) ? "original" : "") + (a.has(s) && b.has(s) ? " and " : "") + (b.has(s) ? "written" : ""));
        }
    }

    private void field(RawTable a, RawTable b, TableLayout.Field f, String path) {
        String at = path + "." + f.name();
        if (f.isScalar()) {
            double x = a.scalar(f);
            double y = b.scalar(f);
            if (Double.compare(x, y) != 0) out.add(at + ": " + fmt(x) + " in original, " + fmt(y) + " written");
            return;
        }
        boolean ha = a.has(f.slot());
        boolean hb = b.has(f.slot());
        if (ha != hb) {
            out.add(at + ": " + (ha ? "present in original, absent in written file" : "absent in original, present in written file"));
            return;
        }
        if (!ha) return;
        int pa = a.target(f.slot());
        int pb = b.target(f.slot());
        switch (f.kind()) {
            case STRING -> {
                if (!a.string(pa).equals(b.string(pb))) out.add(at + ": \"" + a.string(pa) + "\" in original, \"" + b.string(pb) + "\" written");
            }
            case TABLE -> tables(new RawTable(a.bb, pa, f.tableType()), new RawTable(b.bb, pb, f.tableType()), at);
            case UNION_VALUE -> {
                Class<? extends Table> type = unionTable(f.name(), a.unionType(f.name()));
                if (type != null && a.unionType(f.name()) == b.unionType(f.name())) tables(new RawTable(a.bb, pa, type), new RawTable(b.bb, pb, type), at);
            }
            case VECTOR -> vector(a, pa, b, pb, f, at);
            default -> throw new IllegalStateException(at);
        }
    }

    private void vector(RawTable a, int pa, RawTable b, int pb, TableLayout.Field f, String at) {
        int n = a.length(pa);
        if (n != b.length(pb)) {
            out.add(at + ": " + n + " elements in original, " + b.length(pb) + " written");
            return;
        }
        Class<?> e = f.elementType();
        for (int i = 0; i < n; i++) {
            int ea = RawTable.element(pa, f.elementSize(), i);
            int eb = RawTable.element(pb, f.elementSize(), i);
            if (e != null && Table.class.isAssignableFrom(e)) {
                @SuppressWarnings("unchecked") Class<? extends Table> t = (Class<? extends Table>) e;
                tables(new RawTable(a.bb, RawTable.deref(a.bb, ea), t), new RawTable(b.bb, RawTable.deref(b.bb, eb), t), at + "[" + i + "]");
            } else if (e == String.class) {
                String x = a.string(RawTable.deref(a.bb, ea));
                String y = b.string(RawTable.deref(b.bb, eb));
                if (!x.equals(y)) out.add(at + "[" + i + "]: \"" + x + "\" in original, \"" + y + "\" written");
            } else if (!a.bb.slice(ea, f.elementSize()).equals(b.bb.slice(eb, f.elementSize()))) {
                out.add(at + "[" + i + "]: element differs");
                return; // one line per vector is enough to locate it
            }
        }
    }

    private void subgraphs(RawTable a, RawTable b, TableLayout.Field f, List<Integer> order) {
        if (!sameVectorShape(a, b, f, "model")) return;
        List<RawTable> la = a.tables("subgraphs", SubGraph.class);
        List<RawTable> lb = b.tables("subgraphs", SubGraph.class);
        for (int s = 0; s < la.size(); s++) {
            String path = "model.subgraphs[" + s + "]";
            for (TableLayout.Field g : la.get(s).layout.fields) {
                if (s == 0 && g.name().equals("operators")) operators(la.get(s), lb.get(s), g, order, path);
                else field(la.get(s), lb.get(s), g, path);
            }
            unknownSlots(la.get(s), lb.get(s), path);
        }
    }

    /** Written operator i must be original operator order[i], field for field. */
    private void operators(RawTable a, RawTable b, TableLayout.Field f, List<Integer> order, String path) {
        if (!sameVectorShape(a, b, f, path)) return;
        List<RawTable> la = a.tables("operators", Operator.class);
        List<RawTable> lb = b.tables("operators", Operator.class);
        if (order.size() != la.size() || new HashSet<>(order).size() != la.size()) {
            out.add(path + ".operators: the order " + order + " is not a permutation of " + la.size() + " operators");
            return;
        }
        for (int i = 0; i < la.size(); i++) tables(la.get(order.get(i)), lb.get(i), path + ".operators[" + i + " <- " + order.get(i) + "]");
    }

    private void metadata(RawTable a, RawTable b, TableLayout.Field f, Set<String> own) {
        List<RawTable> ma = entries(a, own);
        List<RawTable> mb = entries(b, own);
        if (ma.size() != mb.size()) {
            out.add("model.metadata: " + ma.size() + " entries besides tinyfit's in original, " + mb.size() + " written");
            return;
        }
        for (int i = 0; i < ma.size(); i++) tables(ma.get(i), mb.get(i), "model.metadata[" + i + "]");
        if (ma.isEmpty() && own.isEmpty()) field(a, b, f, "model");
    }

    /** The metadata entries that are not tinyfit's own. */
    private static List<RawTable> entries(RawTable m, Set<String> own) {
        return m.tables("metadata", Metadata.class).stream().filter(e -> !own.contains(e.stringField("name"))).toList();
    }

    /** Buffers that only tinyfit's own metadata entries use (the offline plan, the marker). */
    private static Set<Integer> ownBuffers(RawTable model, Set<String> own) {
        Set<Integer> out = new HashSet<>();
        for (RawTable e : model.tables("metadata", Metadata.class)) if (own.contains(e.stringField("name"))) out.add((int) e.scalar("buffer"));
        return out;
    }

    private void buffers(RawTable a, RawTable b, TableLayout.Field f, Set<Integer> ownA, Set<Integer> ownB) {
        if (a.has(f.slot()) && !b.has(f.slot())) {
            out.add("model.buffers: present in original only");
            return;
        }
        List<RawTable> la = a.tables("buffers", Buffer.class);
        List<RawTable> lb = b.tables("buffers", Buffer.class);
        for (int i = 0; i < Math.max(la.size(), lb.size()); i++) {
            if (ownA.contains(i) || ownB.contains(i)) continue;
            if (i >= la.size() || i >= lb.size()) {
                out.add("model.buffers[" + i + "]: only in the " + (i >= la.size() ? "written file" : "original") + ", and not a tinyfit metadata buffer");
            } else {
                tables(la.get(i), lb.get(i), "model.buffers[" + i + "]");
            }
        }
    }

    private boolean sameVectorShape(RawTable a, RawTable b, TableLayout.Field f, String path) {
        if (a.has(f.slot()) != b.has(f.slot())) {
            out.add(path + "." + f.name() + ": present in " + (a.has(f.slot()) ? "original only" : "written file only"));
            return false;
        }
        if (!a.has(f.slot())) return false;
        int na = a.length(a.target(f.slot()));
        int nb = b.length(b.target(f.slot()));
        if (na != nb) out.add(path + "." + f.name() + ": " + na + " elements in original, " + nb + " written");
        return na == nb;
    }

    /** The generated table class for a union value of the given type code, or null when unknown. */
    private static Class<? extends Table> unionTable(String field, int typeCode) {
        if (typeCode == 0) return null;
        String enumName = UNION_ENUMS.getOrDefault(field, Character.toUpperCase(field.charAt(0)) + field.substring(1));
        try {
            String[] names = (String[]) Class.forName(SCHEMA + enumName).getField("names").get(null);
            if (typeCode >= names.length) return null;
            return Class.forName(SCHEMA + names[typeCode]).asSubclass(Table.class);
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }

    private static String fmt(double v) { return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v); }
}
