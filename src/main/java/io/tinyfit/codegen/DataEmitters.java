package io.tinyfit.codegen;

import io.tinyfit.kernels.KernelParameters;
import io.tinyfit.model.DType;
import io.tinyfit.model.Region;
import io.tinyfit.model.Tensor;
import io.tinyfit.plan.Buffer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The kinds that only move data, for any element size: the RESHAPE family, PAD/PADV2, TRANSPOSE, CONCATENATION,
 * SPLIT/SPLIT_V, PACK/UNPACK, STRIDED_SLICE/SLICE, RESIZE_NEAREST_NEIGHBOR, and SHAPE (whose values are known here,
 * so it is a region copy from a table).
 */
final class DataEmitters {
    private DataEmitters() {}

    static void register(Map<String, StepEmitter> emitters) {
        emitters.put("RESHAPE", w -> wholeCopy(w, "tf_reshape"));
        emitters.put("SQUEEZE", w -> wholeCopy(w, "tf_copy_tensor"));
        emitters.put("EXPAND_DIMS", w -> wholeCopy(w, "tf_copy_tensor"));
        emitters.put("PAD", DataEmitters::pad);
        emitters.put("PADV2", DataEmitters::pad);
        emitters.put("TRANSPOSE", DataEmitters::transpose);
        emitters.put("CONCATENATION", DataEmitters::concatenation);
        emitters.put("SPLIT", w -> split(w, 1, w.constantInts(w.input(0))));
        emitters.put("SPLIT_V", w -> split(w, 0, w.constantInts(w.input(2))));
        emitters.put("PACK", w -> stack(w, true));
        emitters.put("UNPACK", w -> stack(w, false));
        emitters.put("SLICE", DataEmitters::slice);
        emitters.put("STRIDED_SLICE", DataEmitters::stridedSlice);
        emitters.put("RESIZE_NEAREST_NEIGHBOR", DataEmitters::resizeNearest);
        emitters.put("SHAPE", DataEmitters::shape);
    }

    /**
     * One copy of the tensor's bytes; only the data pointers matter, so both are viewed flat. A RESHAPE over a region
     * or between tile buffers moves element by element instead, each output element from the input element at the
     * same flat index, as the Java kernel does.
     */
    private static void wholeCopy(StepWriter w, String kernel) {
        Tensor in = w.input(0), out = w.output(0);
        if (in.bytes() != out.bytes()) throw w.refuse("input has " + in.bytes() + " bytes but output has " + out.bytes());
        if (!w.isWhole() && kernel.equals("tf_reshape")) {
            int[] id = w.dims4(in), od = w.dims4(out);
            String p = w.params("tf_reshape_params", new StepWriter.Fields().put("in_shape", id).put("out_shape", od)
                    .put("element_bytes", in.dtype().bytes()));
            w.call("tf_reshape_region", "&" + p, "&" + w.view(in.id(), id), "&" + w.view(out.id(), od), "&" + w.region(od));
            return;
        }
        int[] flat = {1, 1, 1, (int) in.bytes()};
        w.call(kernel, "&" + w.view(in.id(), flat), "&" + w.view(out.id(), flat), Long.toString(in.bytes()));
    }

    /**
     * A copy step: a region of a tensor from one buffer to another (between tiles, or between banks), element by
     * element in row-major order as the Java interpreter moves it. Tensors above 4-D are viewed with their leading
     * dimensions merged.
     */
    static void copy(StepWriter w, Buffer from, Buffer to) {
        Tensor t = w.graph().tensor(from.tensor());
        int[] shape = t.shape().toArray();
        int[] dims = new int[] {1, 1, 1, 1};
        for (int d = 0; d < shape.length; d++) {
            int at = Math.max(0, 4 - shape.length + d);
            dims[at] *= shape[d];
        }
        Region r = w.step().region() != null ? w.step().region() : Region.whole(t.shape());
        w.call("tf_copy_region", "&" + w.bufferView(to, shape, dims), "&" + w.bufferView(from, shape, dims), "&" + w.region(shape, r, dims),
                Integer.toString(t.dtype().bytes()));
    }

    private static void pad(StepWriter w) {
        Tensor in = w.input(0), out = w.output(0);
        int[] id = w.dims4(in), od = w.dims4(out);
        int[] pads = w.constantInts(w.input(1));
        int rank = in.shape().rank();
        if (pads.length != 2 * rank) throw w.refuse("paddings hold " + pads.length + " values for rank " + rank);
        int[] before = new int[4];
        for (int i = 0; i < rank; i++) before[4 - rank + i] = pads[2 * i];
        byte[] value = new byte[in.dtype().bytes()];
        if (w.hasInput(2)) {
            value = w.input(2).data().toByteArray();
            if (value.length < in.dtype().bytes()) throw w.refuse("constant_values is empty");
            value = java.util.Arrays.copyOf(value, in.dtype().bytes());
        } else if (in.dtype() == DType.INT8) {
            value[0] = (byte) out.quant().zeroPoint(); // TFLM pads int8 with the output zero point
        }
        String p = w.params("tf_pad_params", new StepWriter.Fields().put("in_shape", id).put("before", before)
                .raw("pad_value", w.bytes(value)).put("element_bytes", in.dtype().bytes()));
        w.call("tf_pad", "&" + p, "&" + w.view(in.id(), id), "&" + w.view(out.id(), od), "&" + w.region(od));
    }

    private static void transpose(StepWriter w) {
        Tensor in = w.input(0), out = w.output(0);
        int[] id = w.dims4(in), od = w.dims4(out);
        int[] perm = w.constantInts(w.input(1));
        int rank = in.shape().rank();
        if (perm.length != rank) throw w.refuse("perm of " + perm.length + " values for rank " + rank);
        int[] perm4 = {0, 1, 2, 3};
        for (int d = 0; d < rank; d++) perm4[4 - rank + d] = perm[d] + 4 - rank;
        String p = w.params("tf_transpose_params", new StepWriter.Fields().put("perm", perm4).put("element_bytes", in.dtype().bytes()));
        w.call("tf_transpose", "&" + p, "&" + w.view(in.id(), id), "&" + w.view(out.id(), od), "&" + w.region(od));
    }

    private static void concatenation(StepWriter w) {
        Tensor out = w.output(0);
        int axis = axis(w, w.op().options().getInt("axis", 0), out.shape().rank());
        List<Tensor> inputs = new ArrayList<>();
        for (int i = 0; i < w.op().inputs().size(); i++) inputs.add(w.input(i));
        Parts p = Parts.of(w, out, inputs, axis);
        w.call("tf_concatenation", "&" + p.params(), p.views(), "&" + w.view(out.id(), w.dims4(out)), "&" + w.region(w.dims4(out)));
    }

    /** SPLIT and SPLIT_V: the data input at {@code dataOperand}; output i takes its own extent along the axis. */
    private static void split(StepWriter w, int dataOperand, int[] axisValue) {
        Tensor in = w.input(dataOperand);
        if (axisValue.length != 1) throw w.refuse("axis holds " + axisValue.length + " values");
        int axis = axis(w, axisValue[0], in.shape().rank());
        List<Tensor> outputs = new ArrayList<>();
        for (int i = 0; i < w.op().outputs().size(); i++) outputs.add(w.output(i));
        Parts p = Parts.of(w, in, outputs, axis);
        w.call("tf_split", "&" + p.params(), "&" + w.view(in.id(), w.dims4(in)), p.views(), "&" + w.region(w.dims4(in)));
    }

    /** An axis counted from the end when negative, refused outside the rank. */
    private static int axis(StepWriter w, int value, int rank) {
        int a = value < 0 ? value + rank : value;
        if (a < 0 || a >= rank) throw w.refuse("axis " + value + " out of range for rank " + rank);
        return a;
    }

    /** The parts a tensor is joined from or split into along an axis: their views and the parameters of the move. */
    private record Parts(String params, String views) {
        static Parts of(StepWriter w, Tensor whole, List<Tensor> parts, int axis) {
            int axis4 = axis + 4 - whole.shape().rank();
            int[] begin = new int[parts.size()];
            List<String> views = new ArrayList<>();
            int along = 0;
            for (int i = 0; i < parts.size(); i++) {
                Tensor t = parts.get(i);
                if (t.dtype() != whole.dtype()) throw w.refuse(t.label() + " of type " + t.dtype().label() + " differs from " + whole.label() + "'s");
                begin[i] = along;
                along += w.dims4(t)[axis4];
                views.add(w.view(t.id(), w.dims4(t)));
            }
            if (along != w.dims4(whole)[axis4]) throw w.refuse("parts add up to " + along + " along axis " + axis + " but " + whole.label() + " has " + w.dims4(whole)[axis4]);
            String params = w.params("tf_concat_params", new StepWriter.Fields().put("axis", axis4).put("inputs", parts.size())
                    .put("element_bytes", whole.dtype().bytes()).raw("begin", w.int32s(begin)));
            return new Parts(params, w.viewList(views));
        }
    }

    /**
     * PACK stacks its inputs into the output, UNPACK its input into the outputs: the stacked tensor viewed as
     * [1][outer][values][inner], each part as [1][outer][1][inner], moved part by part as TFLM's loops do.
     */
    private static void stack(StepWriter w, boolean pack) {
        Tensor whole = pack ? w.output(0) : w.input(0);
        int n = pack ? w.op().inputs().size() : w.op().outputs().size();
        Stacking s = Stacking.of(w, whole, n);
        List<String> views = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Tensor part = pack ? w.input(i) : w.output(i);
            if (part.dtype() != whole.dtype()) throw w.refuse(part.label() + " of type " + part.dtype().label() + " differs from " + whole.label() + "'s");
            views.add(w.view(part.id(), s.part()));
        }
        String parts = w.viewList(views), stacked = "&" + w.view(whole.id(), s.whole()), region = "&" + w.region(s.whole());
        String count = Integer.toString(n), bytes = Integer.toString(whole.dtype().bytes());
        if (pack) w.call("tf_pack", parts, count, stacked, region, bytes);
        else w.call("tf_unpack", stacked, parts, count, region, bytes);
    }

    /** The stacked tensor of PACK or UNPACK split around the axis option: outer, values, inner. */
    private record Stacking(int outer, int values, int inner) {
        static Stacking of(StepWriter w, Tensor stacked, int values) {
            int[] dims = stacked.shape().toArray();
            int axis = w.op().options().getInt("axis", 0);
            if (axis < 0) axis += dims.length;
            if (axis < 0 || axis >= dims.length || dims[axis] != values) throw w.refuse("axis " + axis + " does not stack " + values + " tensors in " + stacked.shape());
            int outer = (int) StepWriter.product(java.util.Arrays.copyOfRange(dims, 0, axis));
            int inner = (int) StepWriter.product(java.util.Arrays.copyOfRange(dims, axis + 1, dims.length));
            return new Stacking(outer, values, inner);
        }

        int[] whole() { return new int[] {1, outer, values, inner}; }

        int[] part() { return new int[] {1, outer, 1, inner}; }
    }

    /** SLICE: a strided slice with step 1 from begin, size -1 meaning to the end. */
    private static void slice(StepWriter w) {
        Tensor in = w.input(0), out = w.output(0);
        int rank = in.shape().rank();
        int[] id = w.dims4(in);
        int[] begin = w.constantInts(w.input(1)), size = w.constantInts(w.input(2));
        if (begin.length != rank || size.length != rank) throw w.refuse("begin and size need one value per input dim (" + rank + ")");
        int[] start = new int[4], step = {1, 1, 1, 1}, counts = {1, 1, 1, 1};
        for (int d = 0; d < rank; d++) {
            int dim = in.shape().dim(d);
            int count = size[d] == -1 ? dim - begin[d] : size[d];
            if (begin[d] < 0 || count < 0 || begin[d] + count > dim) throw w.refuse("slice [" + begin[d] + ", +" + size[d] + ") of dim " + d + " outside " + dim);
            start[4 - rank + d] = begin[d];
            counts[4 - rank + d] = count;
        }
        stridedCopy(w, in, out, id, start, step, counts);
    }

    /** The slice's iterations per padded axis become the output's 4-D shape (shrunk axes have one iteration). */
    private static void stridedSlice(StepWriter w) {
        Tensor in = w.input(0), out = w.output(0);
        int rank = in.shape().rank();
        int[] id = w.dims4(in);
        var o = w.op().options();
        KernelParameters.Slice slice = KernelParameters.stridedSlice(in.shape().toArray(), prefix(w, 1, rank), prefix(w, 2, rank),
                prefix(w, 3, rank), o.getInt("beginMask", 0), o.getInt("endMask", 0), o.getInt("shrinkAxisMask", 0));
        int[] start = new int[4], step = new int[4], counts = new int[4];
        for (int d = 0; d < 4; d++) {
            int s = slice.stride()[d + 1];
            start[d] = slice.start()[d + 1];
            step[d] = s;
            int span = s > 0 ? slice.stop()[d + 1] - start[d] : start[d] - slice.stop()[d + 1];
            counts[d] = Math.max(0, (span + Math.abs(s) - 1) / Math.abs(s));
        }
        stridedCopy(w, in, out, id, start, step, counts);
    }

    /** Output element k (4-D) is input element {@code start + k * step}; {@code counts} is the output's 4-D shape. */
    private static void stridedCopy(StepWriter w, Tensor in, Tensor out, int[] inDims, int[] start, int[] step, int[] counts) {
        if (StepWriter.product(counts) != out.shape().numElements()) throw w.refuse("slice of " + StepWriter.product(counts) + " elements for output " + out.shape());
        String p = w.params("tf_strided_slice_params", new StepWriter.Fields().put("start", start).put("step", step)
                .put("element_bytes", in.dtype().bytes()));
        w.call("tf_strided_slice", "&" + p, "&" + w.view(in.id(), inDims), "&" + w.view(out.id(), counts), "&" + w.region(counts));
    }

    private static int[] prefix(StepWriter w, int operand, int rank) {
        int[] v = w.constantInts(w.input(operand));
        if (v.length < rank) throw w.refuse("operand " + operand + " holds " + v.length + " values for rank " + rank);
        return java.util.Arrays.copyOf(v, rank);
    }

    private static void resizeNearest(StepWriter w) {
        Tensor in = w.input(0), out = w.output(0);
        int[] id = w.dims4(in), od = w.dims4(out);
        var o = w.op().options();
        boolean align = o.getBool("alignCorners"), half = o.getBool("halfPixelCenters");
        int[] ys = new int[od[1]], xs = new int[od[2]];
        for (int y = 0; y < ys.length; y++) ys[y] = KernelParameters.nearestNeighbor(y, id[1], od[1], align, half);
        for (int x = 0; x < xs.length; x++) xs[x] = KernelParameters.nearestNeighbor(x, id[2], od[2], align, half);
        String p = w.params("tf_resize_nearest_params", new StepWriter.Fields().raw("src_y", w.int32s(ys)).raw("src_x", w.int32s(xs))
                .put("element_bytes", in.dtype().bytes()));
        w.call("tf_resize_nearest", "&" + p, "&" + w.view(in.id(), id), "&" + w.view(out.id(), od), "&" + w.region(od));
    }

    /** SHAPE writes the input's dims, which the model fixes: a copy from a table of them. */
    private static void shape(StepWriter w) {
        Tensor in = w.input(0), out = w.output(0);
        w.requireType(out, "output", DType.INT32);
        int[] values = in.shape().toArray();
        if (out.shape().numElements() != values.length) throw w.refuse("output has " + out.shape().numElements() + " elements for rank " + values.length);
        int[] dims = {1, 1, 1, values.length};
        String table = w.int32s(values);
        w.call("tf_copy_region", "&" + w.view(out.id(), dims), "&" + w.tableView(table, dims), "&" + w.region(dims), "4");
    }
}
