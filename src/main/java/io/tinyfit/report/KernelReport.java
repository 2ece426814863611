package io.tinyfit.report;

import io.tinyfit.arena.KernelTarget;
import io.tinyfit.model.Graph;
import io.tinyfit.model.Op;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What every output says about the kernel library its figures assume: which one, its scratch buffers, where DMO is off. */
public final class KernelReport {
    private KernelReport() {}

    /** The console lines; empty for the reference kernels (every figure says "reference kernels" already). */
    public static String text(KernelTarget k, Graph g) {
        if (k.isReference()) return "";
        StringBuilder sb = new StringBuilder();
        long scratch = 0;
        int buffers = 0;
        for (Op op : g.ops()) {
            for (long b : k.scratchBytes(g, op)) {
                scratch += b;
                buffers++;
            }
        }
        List<Integer> replaced = k.replacedOps(g);
        sb.append(String.format("  kernels: %s: %d scratch buffer%s of %,d bytes in all (each lives during its operator only); arena figures are estimates%n",
                k.label(), buffers, buffers == 1 ? "" : "s", scratch));
        if (!replaced.isEmpty()) {
            sb.append(String.format("  DMO is off at the %d operator%s %s runs (%s): tinyfit has not proven their access order%n", replaced.size(),
                    replaced.size() == 1 ? "" : "s", k.id(), String.join(", ", kinds(g, replaced))));
        }
        List<String> unmodelled = k.unmodelled(g);
        if (!unmodelled.isEmpty()) {
            sb.append(String.format("  note: the scratch requests of %s's %s are not modelled; the reference kernels' figure stands in%n",
                    k.id(), String.join(", ", unmodelled)));
        }
        return sb.toString();
    }

    /** The {@code kernel_library} JSON object. */
    public static Map<String, Object> json(KernelTarget k, Graph g) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kernels", k.id());
        m.put("cpu", k.cpu() == null ? null : k.cpu().id());
        m.put("dsp", k.cpu() == null ? null : k.cpu().dsp());
        m.put("mve", k.cpu() == null ? null : k.cpu().mve());
        m.put("estimate", !k.isReference());
        List<Map<String, Object>> scratch = new ArrayList<>();
        for (int i = 0; i < g.ops().size(); i++) {
            Op op = g.ops().get(i);
            List<Long> sizes = k.scratchBytes(g, op);
            if (sizes.isEmpty()) continue;
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("op", i);
            s.put("kind", op.kind());
            s.put("bytes", sizes);
            scratch.add(s);
        }
        m.put("scratch", scratch);
        m.put("dmo_off_ops", k.replacedOps(g));
        m.put("dmo_off_reason", k.isReference() ? null : k.id() + " replaces these kernels; tinyfit has proven DMO overlaps for the reference kernels' access order only");
        m.put("unmodelled", k.unmodelled(g));
        return m;
    }

    private static List<String> kinds(Graph g, List<Integer> ops) {
        List<String> out = new ArrayList<>();
        for (int i : ops) if (!out.contains(g.ops().get(i).kind())) out.add(g.ops().get(i).kind());
        return out;
    }
}
