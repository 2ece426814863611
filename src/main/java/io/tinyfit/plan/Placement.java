package io.tinyfit.plan;

import io.tinyfit.layout.Layout;
import io.tinyfit.layout.LayoutProblem;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The layout problem of a set of buffer requests, built in this one place: one layout buffer per request, or one
 * per alias group (tensors that are the very same bytes, an aliased RESHAPE's input and output, share one buffer
 * spanning both lifetimes), plus the overlap allowances of DMO pairs between tensors. It maps a layout's offsets
 * back to the requests.
 *
 * @param bufferOfRequest for request i, the index of its layout buffer
 */
public record Placement(List<BufferRequests.Request> requests, LayoutProblem problem, int[] bufferOfRequest) {

    /** Tensors {@code input} and {@code output} are the same bytes. */
    public record Alias(int inputTensor, int outputTensor) {}

    /** Tensor {@code output} may start {@code minDeltaBytes} or more below tensor {@code input} and share the rest. */
    public record Allowance(int inputTensor, int outputTensor, long minDeltaBytes) {}

    public Placement {
        requests = List.copyOf(requests);
        bufferOfRequest = bufferOfRequest.clone();
    }

    /** One layout buffer per request, nothing shared. */
    public static Placement of(List<BufferRequests.Request> requests, int alignment) {
        return of(requests, alignment, List.of(), List.of());
    }

    public static Placement of(List<BufferRequests.Request> requests, int alignment, List<Alias> aliases, List<Allowance> allowances) {
        Map<Integer, Integer> requestOfTensor = new HashMap<>();
        for (int i = 0; i < requests.size(); i++) if (requests.get(i).kind() == Buffer.Kind.TENSOR) requestOfTensor.put(requests.get(i).tensor(), i);
        int[] parent = new int[requests.size()];
        for (int i = 0; i < parent.length; i++) parent[i] = i;
        for (Alias a : aliases) {
            Integer in = requestOfTensor.get(a.inputTensor());
            Integer out = requestOfTensor.get(a.outputTensor());
            if (in != null && out != null) parent[find(parent, out)] = find(parent, in);
        }
        int[] group = new int[requests.size()];
        List<long[]> groups = new ArrayList<>(); // {rawBytes, firstTime, lastTime}
        Map<Integer, Integer> groupOfRoot = new HashMap<>();
        for (int i = 0; i < requests.size(); i++) {
            BufferRequests.Request r = requests.get(i);
            Integer k = groupOfRoot.get(find(parent, i));
            if (k == null) {
                k = groups.size();
                groupOfRoot.put(find(parent, i), k);
                groups.add(new long[] {r.rawBytes(), r.firstTime(), r.lastTime()});
            } else {
                long[] gr = groups.get(k);
                gr[0] = Math.max(gr[0], r.rawBytes());
                gr[1] = Math.min(gr[1], r.firstTime());
                gr[2] = Math.max(gr[2], r.lastTime());
            }
            group[i] = k;
        }
        LayoutProblem.Builder b = LayoutProblem.builder(alignment);
        for (long[] gr : groups) b.addBuffer(gr[0], (int) gr[1], (int) gr[2]);
        for (Allowance a : allowances) {
            Integer in = requestOfTensor.get(a.inputTensor());
            Integer out = requestOfTensor.get(a.outputTensor());
            if (in == null || out == null || group[in] == group[out]) continue;
            b.allowOverlap(group[out], group[in], a.minDeltaBytes());
        }
        return new Placement(requests, b.build(), group);
    }

    /** The offset a layout gives request i. */
    public long offset(Layout layout, int request) { return layout.offset(bufferOfRequest[request]); }

    /** The offsets a layout gives the tensor requests, by tensor id (what an offline plan carries). */
    public Map<Integer, Long> tensorOffsets(Layout layout) {
        Map<Integer, Long> out = new HashMap<>();
        for (int i = 0; i < requests.size(); i++) if (requests.get(i).kind() == Buffer.Kind.TENSOR) out.put(requests.get(i).tensor(), offset(layout, i));
        return out;
    }

    /** True when some request is a kernel's scratch buffer (stock TFLM places those itself, at run time). */
    public boolean hasScratch() {
        for (BufferRequests.Request r : requests) if (r.kind() == Buffer.Kind.SCRATCH) return true;
        return false;
    }

    private static int find(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }
}
