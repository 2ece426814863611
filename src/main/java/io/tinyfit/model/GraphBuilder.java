package io.tinyfit.model;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Builds small int8 and float32 models in code, so that tests and the default model never depend on files.
 *
 * <pre>{@code
 * GraphBuilder b = new GraphBuilder("example", 42);
 * GraphBuilder.Ref x = b.input("image", DType.INT8, 1, 32, 32, 3);
 * x = b.conv2d(x, 8, 3, 2, Padding.SAME, Activation.RELU6);
 * x = b.fullyConnected(b.reshape(x, 1, -1), 10, Activation.NONE);
 * Graph g = b.output(b.softmax(x)).build();
 * }</pre>
 *
 * <p>Every operator follows the dtype of its (first) input. Weights are pseudo-random from the seed (each
 * constant from its own stream, so adding a layer does not change the weights of the others) and the model is
 * quantised the way the TFLite converter does it: per-channel symmetric int8 weights, int32 biases with scale
 * {@code input_scale × weight_scale[c]}, and activation scales from an estimate of each tensor's value
 * distribution (mean and spread propagated through the layers with the actual weights), so that int8
 * activations use their range without saturating. Operators that TFLite requires to keep their input's
 * quantisation (pooling, reshape, pad, concatenation) do.
 *
 * <p>A builder is mutable and single-threaded; {@link #build()} returns an immutable {@link Graph} and may be
 * called again (it returns an equal graph).
 */
public final class GraphBuilder {

    /** Padding scheme, numbered as the schema's {@code Padding}. */
    public enum Padding {
        SAME, VALID;

        byte code() { return (byte) ordinal(); }
    }

    /** Fused activation, numbered as the schema's {@code ActivationFunctionType}. */
    public enum Activation {
        NONE(0, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY),
        RELU(1, 0, Double.POSITIVE_INFINITY),
        RELU_N1_TO_1(2, -1, 1),
        RELU6(3, 0, 6);

        private final byte code;
        private final double lo;
        private final double hi;

        Activation(int code, double lo, double hi) {
            this.code = (byte) code;
            this.lo = lo;
            this.hi = hi;
        }

        byte code() { return code; }
    }

    /** A tensor of the graph being built: its id in the main subgraph. */
    public record Ref(int id) {}

    /**
     * The builtin operator codes this builder emits, from the TFLite schema (stable numbers; a test checks them
     * against the schema classes, which the model package must not import).
     */
    public static final Map<String, Integer> BUILTIN_CODES = codes();

    /** Activation ranges cover this many standard deviations of the estimated pre-activation values. */
    private static final double RANGE_SIGMAS = 4.0;
    /** Default quantisation of an int8 input: [-1, 1), the usual normalised image range. */
    private static final Quantization DEFAULT_INT8_INPUT = Quantization.perTensor(1f / 128, 0);

    private final String name;
    private final long seed;
    private final List<Tensor> tensors = new ArrayList<>();
    private final List<ConstData> buffers = new ArrayList<>(List.of(ConstData.EMPTY));
    private final List<Op> ops = new ArrayList<>();
    private final List<Integer> inputs = new ArrayList<>();
    private final List<Integer> outputs = new ArrayList<>();
    /** Operator kind → [opcode index, version], in order of first use. */
    private final Map<String, int[]> opcodes = new LinkedHashMap<>();
    private final Map<Integer, Stats> stats = new HashMap<>();
    private final Map<Integer, Integer> producer = new HashMap<>();
    private final Set<Integer> consumed = new HashSet<>();
    private final Map<String, Integer> nameCounts = new HashMap<>();
    /** Kind of each custom operator used → its custom code. */
    private final Map<String, String> customCodes = new HashMap<>();
    private String scope = "";

    /**
     * @param name the graph's source name, used in error messages and reports (e.g. {@code default:mobilenetv2-96})
     * @param seed seeds every weight; the same calls with the same seed give the same model, byte for byte
     */
    public GraphBuilder(String name, long seed) {
        this.name = name;
        this.seed = seed;
    }

    /** Prefixes the names of the operators added next with {@code scope/}; null or empty clears it. */
    public GraphBuilder scope(String newScope) {
        this.scope = newScope == null || newScope.isEmpty() ? "" : newScope + "/";
        return this;
    }

    // ---------------------------------------------------------------------------------------------- inputs

    /**
     * A graph input. {@code quant} is required for INT8 (per tensor, zero point in [-128, 127]) and should be
     * null for FLOAT32.
     */
    public Ref input(String tensorName, DType dtype, int[] shape, Quantization quant) {
        checkDType(dtype, "input " + tensorName);
        if (dtype == DType.INT8) {
            if (quant == null || quant.channels() != 1) throw new IllegalArgumentException("int8 input " + tensorName + " needs a per-tensor quantization");
            checkZeroPoint(quant.zeroPoint(), "input " + tensorName);
        }
        for (int d : shape) if (d <= 0) throw new IllegalArgumentException("input " + tensorName + " has non-positive dimension in " + Shape.of(shape));
        int id = addTensor(tensorName, dtype, Shape.of(shape), quant, null);
        inputs.add(id);
        stats.put(id, inputStats(dtype, quant));
        return new Ref(id);
    }

    /** A graph input with the default quantisation: scale 1/128, zero point 0 for INT8 (values in [-1, 1)). */
    public Ref input(String tensorName, DType dtype, int... shape) {
        return input(tensorName, dtype, shape, dtype == DType.INT8 ? DEFAULT_INT8_INPUT : null);
    }

    // ---------------------------------------------------------------------------------------- convolutions

    /** A square-kernel CONV_2D with equal strides and no dilation. */
    public Ref conv2d(Ref in, int outChannels, int kernel, int stride, Padding padding, Activation act) {
        return conv2d(in, outChannels, kernel, kernel, stride, stride, padding, 1, 1, act);
    }

    /** CONV_2D on an NHWC input; weights are [outChannels, kernelH, kernelW, inChannels]. */
    public Ref conv2d(Ref in, int outChannels, int kernelH, int kernelW, int strideH, int strideW, Padding padding,
                      int dilationH, int dilationW, Activation act) {
        Tensor x = nhwc(in, "CONV_2D");
        int[] s = x.shape().toArray();
        positive("CONV_2D", outChannels, kernelH, kernelW, strideH, strideW, dilationH, dilationW);
        int inC = s[3];
        int oh = outSize(s[1], kernelH, strideH, dilationH, padding, "CONV_2D height");
        int ow = outSize(s[2], kernelW, strideW, dilationW, padding, "CONV_2D width");
        String op = opName("conv2d");
        int fanIn = kernelH * kernelW * inC;
        int[] channelOfWeight = new int[outChannels * fanIn];
        for (int i = 0; i < channelOfWeight.length; i++) channelOfWeight[i] = i / fanIn;
        Weights w = weights(op, x, new int[] {outChannels, kernelH, kernelW, inC}, outChannels, channelOfWeight, fanIn, 0, true);
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("padding", padding.code());
        o.put("strideW", strideW);
        o.put("strideH", strideH);
        o.put("fusedActivationFunction", act.code());
        o.put("dilationWFactor", dilationW);
        o.put("dilationHFactor", dilationH);
        int version = x.dtype() == DType.INT8 ? 3 : 1;
        return weightedOp("CONV_2D", version, op, x, w, new int[] {s[0], oh, ow, outChannels}, act, new Options("Conv2DOptions", o));
    }

    /** A square-kernel DEPTHWISE_CONV_2D with equal strides and no dilation. */
    public Ref depthwiseConv2d(Ref in, int multiplier, int kernel, int stride, Padding padding, Activation act) {
        return depthwiseConv2d(in, multiplier, kernel, kernel, stride, stride, padding, 1, 1, act);
    }

    /** DEPTHWISE_CONV_2D; weights are [1, kernelH, kernelW, inChannels × multiplier], quantised along dimension 3. */
    public Ref depthwiseConv2d(Ref in, int multiplier, int kernelH, int kernelW, int strideH, int strideW, Padding padding,
                               int dilationH, int dilationW, Activation act) {
        Tensor x = nhwc(in, "DEPTHWISE_CONV_2D");
        int[] s = x.shape().toArray();
        positive("DEPTHWISE_CONV_2D", multiplier, kernelH, kernelW, strideH, strideW, dilationH, dilationW);
        int outC = s[3] * multiplier;
        int oh = outSize(s[1], kernelH, strideH, dilationH, padding, "DEPTHWISE_CONV_2D height");
        int ow = outSize(s[2], kernelW, strideW, dilationW, padding, "DEPTHWISE_CONV_2D width");
        String op = opName("depthwise_conv2d");
        int[] channelOfWeight = new int[kernelH * kernelW * outC];
        for (int i = 0; i < channelOfWeight.length; i++) channelOfWeight[i] = i % outC;
        Weights w = weights(op, x, new int[] {1, kernelH, kernelW, outC}, outC, channelOfWeight, kernelH * kernelW, 3, true);
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("padding", padding.code());
        o.put("strideW", strideW);
        o.put("strideH", strideH);
        o.put("depthMultiplier", multiplier);
        o.put("fusedActivationFunction", act.code());
        o.put("dilationWFactor", dilationW);
        o.put("dilationHFactor", dilationH);
        int version = x.dtype() == DType.INT8 ? 3 : dilationH != 1 || dilationW != 1 ? 2 : 1;
        return weightedOp("DEPTHWISE_CONV_2D", version, op, x, w, new int[] {s[0], oh, ow, outC}, act,
                new Options("DepthwiseConv2DOptions", o));
    }

    /**
     * FULLY_CONNECTED: the input is flattened to [elements / K, K] with K its last dimension; weights are
     * [units, K] (per-tensor for int8, as the converter writes them); the output is [elements / K, units].
     */
    public Ref fullyConnected(Ref in, int units, Activation act) {
        Tensor x = tensor(in);
        checkDType(x.dtype(), "FULLY_CONNECTED");
        positive("FULLY_CONNECTED", units);
        if (x.shape().rank() < 1) throw new IllegalArgumentException("FULLY_CONNECTED input " + x.label() + " is a scalar");
        int k = x.shape().fromEnd(1);
        int batch = (int) (x.shape().numElements() / k);
        String op = opName("fully_connected");
        int[] channelOfWeight = new int[units * k];
        for (int i = 0; i < channelOfWeight.length; i++) channelOfWeight[i] = i / k;
        Weights w = weights(op, x, new int[] {units, k}, units, channelOfWeight, k, 0, false);
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("fusedActivationFunction", act.code());
        o.put("weightsFormat", (byte) 0);
        o.put("keepNumDims", false);
        o.put("asymmetricQuantizeInputs", false);
        int version = x.dtype() == DType.INT8 ? 4 : 1;
        return weightedOp("FULLY_CONNECTED", version, op, x, w, new int[] {batch, units}, act, new Options("FullyConnectedOptions", o));
    }

    // ---------------------------------------------------------------------------------------- elementwise

    /** ADD of two tensors of the same shape and dtype; an int8 output gets its own scale for the sum's range. */
    public Ref add(Ref a, Ref b, Activation act) {
        Tensor x = tensor(a);
        Tensor y = tensor(b);
        checkDType(x.dtype(), "ADD");
        if (x.dtype() != y.dtype() || !x.shape().equals(y.shape())) {
            throw new IllegalArgumentException("ADD needs equal shapes and dtypes: " + x.label() + " " + x.dtype() + x.shape()
                    + " vs " + y.label() + " " + y.dtype() + y.shape());
        }
        Stats sx = stats.get(x.id());
        Stats sy = stats.get(y.id());
        Stats sum = new Stats(sx.mean + sy.mean, Math.sqrt(sx.std * sx.std + sy.std * sy.std));
        String op = opName("add");
        Quantization q = x.dtype() == DType.INT8
                ? rangeQuantization(sum.mean - RANGE_SIGMAS * sum.std, sum.mean + RANGE_SIGMAS * sum.std, act) : null;
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("fusedActivationFunction", act.code());
        o.put("potScaleInt16", true);
        int out = addOp("ADD", x.dtype() == DType.INT8 ? 2 : 1, op, List.of(x.id(), y.id()), x.dtype(), x.shape(), q,
                new Options("AddOptions", o));
        stats.put(out, sum.clip(act.lo, act.hi));
        return new Ref(out);
    }

    /** SOFTMAX over the last dimension; an int8 output is quantised (1/256, -128) as TFLite requires. */
    public Ref softmax(Ref in) { return softmax(in, 1.0f); }

    public Ref softmax(Ref in, float beta) {
        Tensor x = tensor(in);
        checkDType(x.dtype(), "SOFTMAX");
        Quantization q = x.dtype() == DType.INT8 ? Quantization.perTensor(1f / 256, -128) : null;
        int out = addOp("SOFTMAX", x.dtype() == DType.INT8 ? 2 : 1, opName("softmax"), List.of(x.id()), x.dtype(), x.shape(), q,
                new Options("SoftmaxOptions", Map.of("beta", beta)));
        double n = x.shape().rank() == 0 ? 1 : x.shape().fromEnd(1);
        stats.put(out, new Stats(1 / n, 1 / n));
        return new Ref(out);
    }

    // ------------------------------------------------------------------------------------------ pooling

    public Ref averagePool(Ref in, int filter, int stride, Padding padding) {
        return averagePool(in, filter, filter, stride, stride, padding, Activation.NONE);
    }

    /** AVERAGE_POOL_2D; int8 output keeps the input's quantisation (the kernels do not rescale). */
    public Ref averagePool(Ref in, int filterH, int filterW, int strideH, int strideW, Padding padding, Activation act) {
        return pool("AVERAGE_POOL_2D", "average_pool2d", in, filterH, filterW, strideH, strideW, padding, act);
    }

    public Ref maxPool(Ref in, int filter, int stride, Padding padding) {
        return maxPool(in, filter, filter, stride, stride, padding, Activation.NONE);
    }

    /** MAX_POOL_2D; int8 output keeps the input's quantisation. */
    public Ref maxPool(Ref in, int filterH, int filterW, int strideH, int strideW, Padding padding, Activation act) {
        return pool("MAX_POOL_2D", "max_pool2d", in, filterH, filterW, strideH, strideW, padding, act);
    }

    /** MEAN over {@code axes} (negative axes count from the end); int8 output keeps the input's quantisation. */
    public Ref mean(Ref in, int[] axes, boolean keepDims) {
        Tensor x = tensor(in);
        checkDType(x.dtype(), "MEAN");
        int rank = x.shape().rank();
        boolean[] reduced = new boolean[rank];
        for (int axis : axes) {
            int a = axis < 0 ? axis + rank : axis;
            if (a < 0 || a >= rank) throw new IllegalArgumentException("MEAN axis " + axis + " outside rank " + rank + " of " + x.label());
            reduced[a] = true;
        }
        List<Integer> dims = new ArrayList<>();
        for (int d = 0; d < rank; d++) {
            if (!reduced[d]) dims.add(x.shape().dim(d));
            else if (keepDims) dims.add(1);
        }
        String op = opName("mean");
        int axisTensor = constInts(op + "/reduction_indices", axes, new int[] {axes.length});
        int out = addOp("MEAN", x.dtype() == DType.INT8 ? 2 : 1, op, List.of(x.id(), axisTensor), x.dtype(),
                Shape.of(dims.stream().mapToInt(Integer::intValue).toArray()), x.quantization(),
                new Options("ReducerOptions", Map.of("keepDims", keepDims)));
        stats.put(out, stats.get(x.id()));
        return new Ref(out);
    }

    // ------------------------------------------------------------------------------------------ data movement

    /** RESHAPE to {@code newShape} (one dimension may be -1); the shape is also given as an int32 input tensor. */
    public Ref reshape(Ref in, int... newShape) {
        Tensor x = tensor(in);
        checkDType(x.dtype(), "RESHAPE");
        long n = x.shape().numElements();
        int[] dims = newShape.clone();
        int unknown = -1;
        long known = 1;
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] == -1 && unknown < 0) unknown = i;
            else if (dims[i] <= 0) throw new IllegalArgumentException("RESHAPE of " + x.label() + " to invalid shape " + Shape.of(newShape));
            else known *= dims[i];
        }
        if (unknown >= 0 && known > 0 && n % known == 0) dims[unknown] = (int) (n / known);
        if (Shape.of(dims).numElements() != n || unknown >= 0 && dims[unknown] <= 0) {
            throw new IllegalArgumentException("RESHAPE of " + x.label() + x.shape() + " to " + Shape.of(newShape) + " changes the element count");
        }
        String op = opName("reshape");
        int shapeTensor = constInts(op + "/shape", dims, new int[] {dims.length});
        int out = addOp("RESHAPE", 1, op, List.of(x.id(), shapeTensor), x.dtype(), Shape.of(dims), x.quantization(),
                new Options("ReshapeOptions", Map.of("newShape", dims)));
        stats.put(out, stats.get(x.id()));
        return new Ref(out);
    }

    /** PAD with {@code paddings[d] = {before, after}} per dimension; int8 pads with the zero point. */
    public Ref pad(Ref in, int[][] paddings) {
        Tensor x = tensor(in);
        checkDType(x.dtype(), "PAD");
        int rank = x.shape().rank();
        if (paddings.length != rank) throw new IllegalArgumentException("PAD of " + x.label() + " needs " + rank + " [before, after] pairs");
        int[] flat = new int[2 * rank];
        int[] dims = x.shape().toArray();
        for (int d = 0; d < rank; d++) {
            if (paddings[d].length != 2 || paddings[d][0] < 0 || paddings[d][1] < 0) {
                throw new IllegalArgumentException("PAD of " + x.label() + ": dimension " + d + " needs a non-negative [before, after] pair");
            }
            flat[2 * d] = paddings[d][0];
            flat[2 * d + 1] = paddings[d][1];
            dims[d] += paddings[d][0] + paddings[d][1];
        }
        String op = opName("pad");
        int padTensor = constInts(op + "/paddings", flat, new int[] {rank, 2});
        int out = addOp("PAD", x.dtype() == DType.INT8 ? 2 : 1, op, List.of(x.id(), padTensor), x.dtype(), Shape.of(dims),
                x.quantization(), new Options("PadOptions", Map.of()));
        stats.put(out, stats.get(x.id()));
        return new Ref(out);
    }

    /**
     * CONCATENATION along {@code axis}. TFLite's int8 kernel does not rescale, so all inputs and the output share
     * one quantisation: inputs that differ and are still unused operator outputs are requantised to the union of
     * the ranges (as the converter does); otherwise the call is refused.
     */
    public Ref concatenation(int axis, Activation act, Ref... parts) {
        if (parts.length == 0) throw new IllegalArgumentException("CONCATENATION needs at least one input");
        Tensor first = tensor(parts[0]);
        checkDType(first.dtype(), "CONCATENATION");
        int rank = first.shape().rank();
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) throw new IllegalArgumentException("CONCATENATION axis " + axis + " outside rank " + rank);
        int[] dims = first.shape().toArray();
        dims[a] = 0;
        List<Integer> ids = new ArrayList<>();
        double mean = 0;
        double meanSq = 0;
        long total = 0;
        for (Ref r : parts) {
            Tensor t = tensor(r);
            if (t.dtype() != first.dtype() || t.shape().rank() != rank) {
                throw new IllegalArgumentException("CONCATENATION input " + t.label() + " " + t.dtype() + t.shape() + " does not match " + first.dtype() + first.shape());
            }
            for (int d = 0; d < rank; d++) {
                if (d != a && t.shape().dim(d) != first.shape().dim(d)) {
                    throw new IllegalArgumentException("CONCATENATION input " + t.label() + t.shape() + " differs from " + first.shape() + " outside axis " + a);
                }
            }
            dims[a] += t.shape().dim(a);
            ids.add(t.id());
            Stats st = stats.get(t.id());
            long n = t.shape().numElements();
            mean += st.mean * n;
            meanSq += (st.std * st.std + st.mean * st.mean) * n;
            total += n;
        }
        Quantization q = first.dtype() == DType.INT8 ? sharedQuantization(ids) : null;
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("axis", axis);
        o.put("fusedActivationFunction", act.code());
        int out = addOp("CONCATENATION", first.dtype() == DType.INT8 ? 2 : 1, opName("concatenation"), ids, first.dtype(),
                Shape.of(dims), q, new Options("ConcatenationOptions", o));
        mean /= total;
        stats.put(out, new Stats(mean, Math.sqrt(Math.max(0, meanSq / total - mean * mean))).clip(act.lo, act.hi));
        return new Ref(out);
    }

    /**
     * RESIZE_NEAREST_NEIGHBOR by an integer factor in height and width (the upsampling of a U-Net decoder), without
     * aligned corners or half-pixel centres; the output keeps the input's quantisation.
     */
    public Ref upsampleNearest(Ref in, int factor) {
        Tensor x = tensor(in);
        checkDType(x.dtype(), "RESIZE_NEAREST_NEIGHBOR");
        if (x.shape().rank() != 4 || factor < 1) throw new IllegalArgumentException("RESIZE_NEAREST_NEIGHBOR of " + x.label() + x.shape() + " by " + factor);
        int[] dims = x.shape().toArray();
        dims[1] *= factor;
        dims[2] *= factor;
        String op = opName("resize_nearest_neighbor");
        int size = constInts(op + "/size", new int[] {dims[1], dims[2]}, new int[] {2});
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("alignCorners", false);
        o.put("halfPixelCenters", false);
        int out = addOp("RESIZE_NEAREST_NEIGHBOR", x.dtype() == DType.INT8 ? 2 : 1, op, List.of(x.id(), size), x.dtype(), Shape.of(dims), x.quantization(),
                new Options("ResizeNearestNeighborOptions", o));
        stats.put(out, stats.get(x.id()));
        return new Ref(out);
    }

    /** DEQUANTIZE of an int8 tensor to float32 (the values its quantisation stands for). */
    public Ref dequantize(Ref in) {
        Tensor x = tensor(in);
        if (x.dtype() != DType.INT8) throw new IllegalArgumentException("DEQUANTIZE needs an int8 input, not " + x.label() + " " + x.dtype().label());
        int out = addOp("DEQUANTIZE", 2, opName("dequantize"), List.of(x.id()), DType.FLOAT32, x.shape(), null, Options.NONE);
        stats.put(out, stats.get(x.id()));
        return new Ref(out);
    }

    /** A constant float32 tensor (anchors, lookup tables) of {@code shape}, row-major {@code values}. */
    public Ref constant(String tensorName, float[] values, int... shape) {
        if (Shape.of(shape).numElements() != values.length) throw new IllegalArgumentException("constant " + tensorName + ": " + values.length + " values for shape " + Shape.of(shape));
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) b.putFloat(v);
        return new Ref(addTensor(tensorName, DType.FLOAT32, Shape.of(shape), null, b.array()));
    }

    /**
     * A custom operator: custom code {@code code} (its kind is {@code CUSTOM(code)}), FlexBuffer custom options
     * {@code options}, and one output per entry of {@code dtypes} and {@code shapes} (an int8 one quantised as the
     * first input). Also an operator tinyfit has no kernel for, for the tests of that path.
     */
    public List<Ref> custom(String code, byte[] options, List<Ref> in, List<DType> dtypes, List<int[]> shapes) {
        if (dtypes.size() != shapes.size() || dtypes.isEmpty()) throw new IllegalArgumentException("custom " + code + ": one dtype per output shape, at least one");
        String kind = "CUSTOM(" + code + ")";
        int[] opcode = opcodes.computeIfAbsent(kind, k -> new int[] {opcodes.size(), 1});
        customCodes.put(kind, code);
        String op = opName(code);
        List<Integer> ids = new ArrayList<>();
        for (Ref r : in) ids.add(tensor(r).id());
        List<Ref> outs = new ArrayList<>();
        List<Integer> outIds = new ArrayList<>();
        for (int i = 0; i < dtypes.size(); i++) {
            // an int8 output takes the first input's quantisation (TFLite requires one; the builder cannot know better)
            Quantization q = dtypes.get(i) == DType.INT8 && !in.isEmpty() ? tensor(in.get(0)).quantization() : null;
            int out = addTensor(op + (dtypes.size() == 1 ? "" : ":" + i), dtypes.get(i), Shape.of(shapes.get(i)), q, null);
            producer.put(out, ops.size());
            stats.put(out, in.isEmpty() || q == null ? new Stats(0, 1) : stats.get(in.get(0).id()));
            outIds.add(out);
            outs.add(new Ref(out));
        }
        consumed.addAll(ids);
        // custom_options_format 0: FLEXBUFFERS, the only format the schema defines
        ops.add(new Op(opcode[0], kind, ids, outIds, List.of(), Options.NONE, options, 0, null, Presence.BUILT));
        return outs;
    }

    /**
     * The options of {@code TFLite_Detection_PostProcess}, as its FlexBuffer map names them (SSD detectors'
     * box decoding and non-maximum suppression; see {@link #detectionPostprocess}).
     */
    public record DetectionOptions(int maxDetections, int maxClassesPerDetection, int detectionsPerClass, boolean regularNms,
                                   float scoreThreshold, float iouThreshold, int numClasses, float yScale, float xScale, float hScale,
                                   float wScale) {
        /** The custom options bytes: a FlexBuffer map, as the TFLite converter writes them. */
        public byte[] flexbuffer() {
            com.google.flatbuffers.FlexBuffersBuilder b = new com.google.flatbuffers.FlexBuffersBuilder(
                    new com.google.flatbuffers.ArrayReadWriteBuf(256), com.google.flatbuffers.FlexBuffersBuilder.BUILDER_FLAG_SHARE_KEYS);
            int map = b.startMap();
            b.putInt("max_detections", maxDetections);
            b.putInt("max_classes_per_detection", maxClassesPerDetection);
            b.putInt("detections_per_class", detectionsPerClass);
            b.putBoolean("use_regular_nms", regularNms);
            b.putFloat("nms_score_threshold", scoreThreshold);
            b.putFloat("nms_iou_threshold", iouThreshold);
            b.putInt("num_classes", numClasses);
            b.putFloat("y_scale", yScale);
            b.putFloat("x_scale", xScale);
            b.putFloat("h_scale", hScale);
            b.putFloat("w_scale", wScale);
            b.endMap(null, map);
            java.nio.ByteBuffer out = b.finish();
            byte[] bytes = new byte[out.remaining()];
            out.get(bytes);
            return bytes;
        }
    }

    /**
     * {@code TFLite_Detection_PostProcess}, the custom operator ending SSD detectors: float32 box encodings
     * {@code [1, boxes, 4+]}, class predictions {@code [1, boxes, classes (+1 background)]} and anchors
     * {@code [boxes, 4]} to detection boxes {@code [1, D, 4]}, classes {@code [1, D]}, scores {@code [1, D]} and
     * their number {@code [1]}, with D = max_detections (times the classes per detection, squared, for fast NMS:
     * the most TFLM's kernel writes).
     */
    public List<Ref> detectionPostprocess(Ref boxes, Ref classes, Ref anchors, DetectionOptions o) {
        int k = Math.min(o.maxClassesPerDetection(), o.numClasses());
        int d = o.regularNms() ? o.maxDetections() : o.maxDetections() * Math.max(1, k * k);
        return custom("TFLite_Detection_PostProcess", o.flexbuffer(), List.of(boxes, classes, anchors),
                List.of(DType.FLOAT32, DType.FLOAT32, DType.FLOAT32, DType.FLOAT32), List.of(new int[] {1, d, 4}, new int[] {1, d}, new int[] {1, d}, new int[] {1}));
    }

    // ------------------------------------------------------------------------------------------ outputs

    /** Marks tensors as graph outputs, in order. */
    public GraphBuilder output(Ref... refs) {
        for (Ref r : refs) {
            tensor(r);
            outputs.add(r.id());
        }
        return this;
    }

    /** The shape of a tensor built so far. */
    public Shape shape(Ref r) { return tensor(r).shape(); }

    /** The quantisation of a tensor built so far (null for float32). */
    public Quantization quantization(Ref r) { return tensor(r).quantization(); }

    /** The immutable model: schema version 3, buffer 0 the empty sentinel, one opcode entry per operator kind. */
    public Graph build() {
        if (inputs.isEmpty()) throw new IllegalStateException(name + ": graph has no input");
        if (outputs.isEmpty()) throw new IllegalStateException(name + ": graph has no output; call output(...)");
        List<OpCode> codes = new ArrayList<>();
        for (Map.Entry<String, int[]> e : opcodes.entrySet()) {
            String custom = customCodes.get(e.getKey());
            codes.add(custom != null ? new OpCode(OpCode.CUSTOM, OpCode.CUSTOM, OpCode.CUSTOM, custom, e.getValue()[1])
                    : OpCode.builtin(BUILTIN_CODES.get(e.getKey()), e.getValue()[1]));
        }
        Subgraph main = new Subgraph("main", tensors, ops, inputs, outputs);
        return new Graph(name, 3, "tinyfit GraphBuilder (seed " + seed + ")", codes, List.of(main), buffers,
                List.of(), List.of(), List.of());
    }

    // ============================================================================================ internals

    private Ref pool(String kind, String base, Ref in, int filterH, int filterW, int strideH, int strideW, Padding padding, Activation act) {
        Tensor x = nhwc(in, kind);
        positive(kind, filterH, filterW, strideH, strideW);
        int[] s = x.shape().toArray();
        int oh = outSize(s[1], filterH, strideH, 1, padding, kind + " height");
        int ow = outSize(s[2], filterW, strideW, 1, padding, kind + " width");
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("padding", padding.code());
        o.put("strideW", strideW);
        o.put("strideH", strideH);
        o.put("filterWidth", filterW);
        o.put("filterHeight", filterH);
        o.put("fusedActivationFunction", act.code());
        int out = addOp(kind, x.dtype() == DType.INT8 ? 2 : 1, opName(base), List.of(x.id()), x.dtype(),
                Shape.of(s[0], oh, ow, s[3]), x.quantization(), new Options("Pool2DOptions", o));
        // Neighbouring activations are strongly correlated, so pooling keeps most of the spread.
        stats.put(out, stats.get(x.id()).clip(act.lo, act.hi));
        return new Ref(out);
    }

    /** Constant weights and bias of a conv-like operator, plus the estimate of its output distribution. */
    private record Weights(int weights, int bias, Stats out, double lo, double hi) {}

    /**
     * Draws Gaussian weights with He-style spread (std √(2/fanIn), varied per channel as trained layers are),
     * quantises them symmetrically (per channel, or per tensor for FULLY_CONNECTED), adds small biases, and
     * estimates the output: channel c of a layer fed i.i.d. values of mean μ and std σ has mean μ·Σw + b and
     * variance σ²·Σw².
     */
    private Weights weights(String op, Tensor x, int[] shape, int channels, int[] channelOf, int fanIn, int quantDim, boolean perChannel) {
        boolean int8 = x.dtype() == DType.INT8;
        Random rng = new Random(streamSeed(tensors.size()));
        double[] w = new double[channelOf.length];
        double[] sigma = new double[channels];
        for (int c = 0; c < channels; c++) sigma[c] = Math.sqrt(2.0 / fanIn) * (0.6 + 0.8 * rng.nextDouble());
        for (int i = 0; i < w.length; i++) w[i] = rng.nextGaussian() * sigma[channelOf[i]];

        float[] wScale = new float[channels];
        if (int8) {
            double[] maxAbs = new double[channels];
            for (int i = 0; i < w.length; i++) {
                int c = perChannel ? channelOf[i] : 0;
                maxAbs[c] = Math.max(maxAbs[c], Math.abs(w[i]));
            }
            for (int c = 0; c < channels; c++) {
                double m = perChannel ? maxAbs[c] : maxAbs[0];
                wScale[c] = (float) (m > 0 ? m / 127 : 1.0 / 127);
            }
        }
        ByteBuffer wb = ByteBuffer.allocate(w.length * (int8 ? 1 : 4)).order(ByteOrder.LITTLE_ENDIAN);
        double[] sum = new double[channels];
        double[] sumSq = new double[channels];
        for (int i = 0; i < w.length; i++) {
            int c = channelOf[i];
            double real;
            if (int8) {
                long q = Math.max(-127, Math.min(127, Math.round(w[i] / wScale[c])));
                wb.put((byte) q);
                real = q * (double) wScale[c];
            } else {
                float f = (float) w[i];
                wb.putFloat(f);
                real = f;
            }
            sum[c] += real;
            sumSq[c] += real * real;
        }

        Stats in = stats.get(x.id());
        float inScale = int8 ? x.quantization().scale() : 0f;
        ByteBuffer bb = ByteBuffer.allocate(channels * 4).order(ByteOrder.LITTLE_ENDIAN);
        float[] bScale = new float[channels];
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        double meanAcc = 0;
        double sqAcc = 0;
        for (int c = 0; c < channels; c++) {
            double sd = in.std * Math.sqrt(sumSq[c]);
            double bias = 0.1 * Math.max(sd, 1e-3) * rng.nextGaussian();
            if (int8) {
                bScale[c] = inScale * wScale[c];
                int q = (int) Math.max(Integer.MIN_VALUE + 1L, Math.min(Integer.MAX_VALUE, Math.round(bias / bScale[c])));
                bb.putInt(q);
                bias = q * (double) bScale[c];
            } else {
                bb.putFloat((float) bias);
                bias = (float) bias;
            }
            double m = in.mean * sum[c] + bias;
            lo = Math.min(lo, m - RANGE_SIGMAS * sd);
            hi = Math.max(hi, m + RANGE_SIGMAS * sd);
            meanAcc += m;
            sqAcc += sd * sd + m * m;
        }
        double mean = meanAcc / channels;
        Stats out = new Stats(mean, Math.sqrt(Math.max(0, sqAcc / channels - mean * mean)));

        Quantization wq = null;
        Quantization bq = null;
        if (int8) {
            long[] zeros = new long[channels];
            wq = perChannel ? Quantization.perChannel(wScale, zeros, quantDim) : Quantization.perTensor(wScale[0], 0);
            bq = perChannel ? Quantization.perChannel(bScale, zeros, 0) : Quantization.perTensor(bScale[0], 0);
        }
        int wId = addTensor(op + "/weights", x.dtype(), Shape.of(shape), wq, wb.array());
        int bId = addTensor(op + "/bias", int8 ? DType.INT32 : DType.FLOAT32, Shape.of(channels), bq, bb.array());
        return new Weights(wId, bId, out, lo, hi);
    }

    private Ref weightedOp(String kind, int version, String op, Tensor x, Weights w, int[] outShape, Activation act, Options options) {
        Quantization q = x.dtype() == DType.INT8 ? rangeQuantization(w.lo, w.hi, act) : null;
        int out = addOp(kind, version, op, List.of(x.id(), w.weights, w.bias), x.dtype(), Shape.of(outShape), q, options);
        stats.put(out, w.out.clip(act.lo, act.hi));
        return new Ref(out);
    }

    /**
     * The int8 quantisation of real values in [lo, hi] after the activation: the range is clipped to the
     * activation's, widened to contain 0 (TFLite represents 0 exactly), and mapped onto [-128, 127].
     */
    private static Quantization rangeQuantization(double lo, double hi, Activation act) {
        lo = Math.max(lo, act.lo);
        hi = Math.min(hi, act.hi);
        lo = Math.min(lo, 0);
        hi = Math.max(hi, 0);
        if (hi - lo < 1e-6) hi = lo + 1e-6;
        float scale = (float) ((hi - lo) / 255.0);
        long zp = Math.round(-128 - lo / scale);
        return Quantization.perTensor(scale, Math.max(-128, Math.min(127, zp)));
    }

    private Quantization sharedQuantization(List<Integer> ids) {
        Quantization q0 = tensors.get(ids.get(0)).quantization();
        boolean same = true;
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int id : ids) {
            Quantization q = tensors.get(id).quantization();
            same &= q.equals(q0);
            lo = Math.min(lo, q.scale() * (-128.0 - q.zeroPoint()));
            hi = Math.max(hi, q.scale() * (127.0 - q.zeroPoint()));
        }
        if (same) return q0;
        Quantization shared = rangeQuantization(lo, hi, Activation.NONE);
        // inputs already used keep theirs: when they all agree, the unused ones take it (a U-Net's skip tensor)
        Set<Quantization> fixed = new HashSet<>();
        for (int id : ids) if (!producer.containsKey(id) || consumed.contains(id)) fixed.add(tensors.get(id).quantization());
        if (fixed.size() == 1) shared = fixed.iterator().next();
        for (int id : new HashSet<>(ids)) {
            Tensor t = tensors.get(id);
            if (t.quantization().equals(shared)) continue;
            if (!producer.containsKey(id) || consumed.contains(id)) {
                throw new IllegalArgumentException("CONCATENATION inputs need one quantization, but " + t.label()
                        + " is a graph input or already used, so it cannot be requantised from " + t.quantization() + " to " + shared);
            }
            tensors.set(id, t.withQuantization(shared));
        }
        return shared;
    }

    private int addOp(String kind, int version, String opName, List<Integer> in, DType dtype, Shape shape, Quantization q, Options options) {
        int[] code = opcodes.computeIfAbsent(kind, k -> new int[] {opcodes.size(), version});
        code[1] = Math.max(code[1], version);
        int out = addTensor(opName, dtype, shape, q, null);
        consumed.addAll(in);
        producer.put(out, ops.size());
        ops.add(new Op(code[0], kind, in, List.of(out), options));
        return out;
    }

    private int addTensor(String tensorName, DType dtype, Shape shape, Quantization q, byte[] data) {
        int id = tensors.size();
        int buffer = 0;
        ConstData cd = null;
        if (data != null) {
            cd = ConstData.adopt(data);
            buffers.add(cd);
            buffer = buffers.size() - 1;
        }
        tensors.add(new Tensor(id, tensorName, dtype, shape, null, q, buffer, cd, false, false));
        return id;
    }

    private int constInts(String tensorName, int[] values, int[] shape) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) b.putInt(v);
        return addTensor(tensorName, DType.INT32, Shape.of(shape), null, b.array());
    }

    private String opName(String base) {
        String key = scope + base;
        int n = nameCounts.merge(key, 1, Integer::sum);
        return n == 1 ? key : key + "_" + (n - 1);
    }

    /** A distinct, reproducible random stream per constant tensor (SplitMix64 finaliser of seed and id). */
    private long streamSeed(int tensorId) {
        long z = seed + 0x9E3779B97F4A7C15L * (tensorId + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private Tensor tensor(Ref r) {
        if (r == null || r.id() < 0 || r.id() >= tensors.size()) throw new IllegalArgumentException("unknown tensor " + r + " in " + name);
        return tensors.get(r.id());
    }

    private Tensor nhwc(Ref r, String kind) {
        Tensor x = tensor(r);
        checkDType(x.dtype(), kind);
        if (x.shape().rank() != 4) throw new IllegalArgumentException(kind + " needs an NHWC input, but " + x.label() + " has shape " + x.shape());
        return x;
    }

    private static void checkDType(DType t, String what) {
        if (t != DType.INT8 && t != DType.FLOAT32) throw new IllegalArgumentException(what + ": GraphBuilder builds int8 and float32 models, not " + t.label());
    }

    private static void checkZeroPoint(long zp, String what) {
        if (zp < -128 || zp > 127) throw new IllegalArgumentException(what + ": int8 zero point " + zp + " outside [-128, 127]");
    }

    private static void positive(String kind, int... values) {
        for (int v : values) if (v <= 0) throw new IllegalArgumentException(kind + ": sizes, strides and factors must be positive, got " + v);
    }

    private static int outSize(int in, int kernel, int stride, int dilation, Padding padding, String what) {
        int effective = (kernel - 1) * dilation + 1;
        int out = padding == Padding.SAME ? (in + stride - 1) / stride : (in - effective + stride) / stride;
        if (out <= 0) throw new IllegalArgumentException(what + ": kernel " + effective + " does not fit input " + in + " with VALID padding");
        return out;
    }

    private static Stats inputStats(DType dtype, Quantization q) {
        if (dtype == DType.INT8) {
            double lo = q.scale() * (-128.0 - q.zeroPoint());
            double hi = q.scale() * (127.0 - q.zeroPoint());
            return new Stats((lo + hi) / 2, (hi - lo) / Math.sqrt(12));
        }
        return new Stats(0, 1 / Math.sqrt(3));
    }

    private static Map<String, Integer> codes() {
        Map<String, Integer> m = new LinkedHashMap<>();
        m.put("ADD", 0);
        m.put("AVERAGE_POOL_2D", 1);
        m.put("CONCATENATION", 2);
        m.put("CONV_2D", 3);
        m.put("DEPTHWISE_CONV_2D", 4);
        m.put("DEQUANTIZE", 6);
        m.put("FULLY_CONNECTED", 9);
        m.put("MAX_POOL_2D", 17);
        m.put("RESHAPE", 22);
        m.put("SOFTMAX", 25);
        m.put("PAD", 34);
        m.put("MEAN", 40);
        m.put("RESIZE_NEAREST_NEIGHBOR", 97);
        return Collections.unmodifiableMap(m);
    }

    /** Estimated mean and standard deviation of a tensor's real values. */
    private record Stats(double mean, double std) {
        /**
         * The mean and std after clamping to [lo, hi], treating the values as Gaussian (numerical integration;
         * StrictMath keeps the result, and so the model bytes, identical on every JVM).
         */
        Stats clip(double lo, double hi) {
            if (lo == Double.NEGATIVE_INFINITY && hi == Double.POSITIVE_INFINITY) return this;
            if (std <= 0) return new Stats(Math.max(lo, Math.min(hi, mean)), 0);
            int steps = 400;
            double a = mean - 8 * std;
            double h = 16 * std / steps;
            double sw = 0;
            double sy = 0;
            double syy = 0;
            for (int i = 0; i <= steps; i++) {
                double v = a + i * h;
                double z = (v - mean) / std;
                double w = StrictMath.exp(-0.5 * z * z);
                double y = Math.max(lo, Math.min(hi, v));
                sw += w;
                sy += w * y;
                syy += w * y * y;
            }
            double m = sy / sw;
            return new Stats(m, Math.sqrt(Math.max(0, syy / sw - m * m)));
        }
    }
}
