package io.tinyfit.kernels;

import com.google.flatbuffers.FlexBuffers;
import io.tinyfit.model.DType;
import io.tinyfit.model.Graph;
import io.tinyfit.model.Op;
import io.tinyfit.model.Tensor;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * The custom operator {@code TFLite_Detection_PostProcess} of SSD detectors, as TFLM's
 * {@code kernels/detection_postprocess.cc}: decode the box encodings against the anchors (centre-size to corners),
 * then non-maximum suppression, either "regular" (per class, then the best over all classes) or "fast" (each
 * anchor by its best classes), into four float32 outputs: boxes {@code [1, D, 4]} (ymin, xmin, ymax, xmax), classes
 * {@code [1, D]}, scores {@code [1, D]} and the number of detections {@code [1]}.
 *
 * <p>Every intermediate lives where TFLM keeps it: in the eleven scratch buffers its {@code Prepare} requests, in
 * the same order and sizes ({@link #scratchBytes}), so the planned arena holds exactly what TFLM's does. The sorts
 * reproduce TFLM's: a stable descending merge sort (insertion sort below 20 elements) for the scores above the
 * threshold, and a descending partial sort with ties to the lower index for the top classes.
 *
 * <p>Like TFLM's current kernel, it computes on float32 box encodings, class predictions and anchors only (TFLM's
 * {@code Eval} returns an error for other types, so those variants are refused, and the model remains analysable).
 * Output elements the kernel does not write (fast NMS stops at the detections it found) are set to 0 where TFLM
 * leaves whatever the arena held: their contents are undefined in TFLM, and zeros keep runs comparable.
 *
 * <p>Decoding uses double arithmetic with {@link StrictMath#exp} where TFLM calls the C library's {@code exp}; the
 * two may differ in the last bit of a double, which survives the cast to float only in rare ties.
 */
final class DetectionPostprocessKernel implements Kernel {
    /** The operator's name as the reader gives it: a custom operator with this custom code. */
    static final String KIND = "CUSTOM(TFLite_Detection_PostProcess)";

    private static final int BOX = 4;
    /** TFLM's default of {@code detections_per_class} when the options leave it out. */
    private static final int DEFAULT_DETECTIONS_PER_CLASS = 100;
    /** TFLM's {@code MergeSort} switches to insertion sort below this many values. */
    private static final int INSERTION_SORT_BELOW = 20;

    // scratch buffers in TFLM's request order
    private static final int ACTIVE = 0, DECODED = 1, SCORES = 2, SCORE_BUFFER = 3, KEEP_SCORES = 4, AFTER_NMS_SCORES = 5,
            SORTED_VALUES = 6, KEEP_INDICES = 7, SORTED_INDICES = 8, BUFFER = 9, SELECTED = 10;

    /** The custom options TFLM's {@code Init} reads from the operator's FlexBuffer map. */
    record Params(int maxDetections, int maxClassesPerDetection, int detectionsPerClass, boolean regularNms, float scoreThreshold,
                  float iouThreshold, int numClasses, float yScale, float xScale, float hScale, float wScale) {

        /** Reads the map as TFLM's Init does: a missing key reads as 0 (false), except the two with defaults. */
        static Params of(Refusals r) {
            byte[] bytes = r.op().customOptions();
            try {
                FlexBuffers.Map m = FlexBuffers.getRoot(ByteBuffer.wrap(bytes)).asMap();
                FlexBuffers.Reference perClass = m.get("detections_per_class");
                FlexBuffers.Reference regular = m.get("use_regular_nms");
                return new Params(m.get("max_detections").asInt(), m.get("max_classes_per_detection").asInt(),
                        perClass.isNull() ? DEFAULT_DETECTIONS_PER_CLASS : perClass.asInt(), !regular.isNull() && regular.asBoolean(),
                        (float) m.get("nms_score_threshold").asFloat(), (float) m.get("nms_iou_threshold").asFloat(), m.get("num_classes").asInt(),
                        (float) m.get("y_scale").asFloat(), (float) m.get("x_scale").asFloat(), (float) m.get("h_scale").asFloat(),
                        (float) m.get("w_scale").asFloat());
            } catch (RuntimeException e) {
                throw r.invalid("custom options are not a FlexBuffer map (" + bytes.length + " bytes): " + e);
            }
        }
    }

    @Override
    public void prepare(Preparation p) {
        // TFLM's Prepare: three inputs of ranks 3, 3 and 2, four outputs
        p.inputs(3, 3);
        p.outputs(4, 4);
        Tensor boxes = p.input(0), classes = p.input(1), anchors = p.input(2);
        p.require(boxes.shape().rank() == 3, "box encodings must have rank 3, not " + boxes.shape());
        p.require(classes.shape().rank() == 3, "class predictions must have rank 3, not " + classes.shape());
        p.require(anchors.shape().rank() == 2, "anchors must have rank 2, not " + anchors.shape());
        Params o = Params.of(p);
        // what TFLM's Eval checks (it returns an error on every Invoke): refused as a variant tinyfit cannot run either
        for (int i = 0; i < 3; i++) {
            if (p.input(i).dtype() != DType.FLOAT32) {
                throw p.unsupported("input " + i + " is " + p.input(i).dtype().label() + "; TFLM's kernel decodes float32 inputs only (its Eval fails on others)");
            }
        }
        for (int i = 0; i < 4; i++) {
            if (p.output(i).dtype() != DType.FLOAT32) throw p.unsupported("output " + i + " must be float32, not " + p.output(i).dtype().label());
        }
        int n = boxes.shape().dim(1);
        if (boxes.shape().dim(0) != 1 || boxes.shape().dim(2) < BOX) throw p.unsupported("box encodings " + boxes.shape() + " must be [1, boxes, >= 4] (TFLM's Eval)");
        if (classes.shape().dim(0) != 1 || classes.shape().dim(1) != n) throw p.unsupported("class predictions " + classes.shape() + " must be [1, " + n + ", classes] (TFLM's Eval)");
        int withBackground = classes.shape().dim(2);
        if (withBackground - o.numClasses() > 1 || withBackground < o.numClasses() || o.numClasses() < 1) {
            throw p.unsupported("num_classes " + o.numClasses() + " does not match " + withBackground + " class predictions (at most one background class; TFLM's Eval)");
        }
        // TFLM reads one anchor per box without checking: fewer would read past the tensor
        if (anchors.shape().dim(0) != n || anchors.shape().dim(1) != BOX) throw p.unsupported("anchors " + anchors.shape() + " must be [" + n + ", 4]");
        if (o.maxDetections() < 0) throw p.unsupported("max_detections " + o.maxDetections() + " is negative (TFLM's Eval)");
        if (!(o.iouThreshold() > 0 && o.iouThreshold() <= 1)) throw p.unsupported("nms_iou_threshold " + o.iouThreshold() + " is outside (0, 1] (TFLM's Eval)");
        if (o.regularNms() && o.detectionsPerClass() <= 0) throw p.unsupported("detections_per_class " + o.detectionsPerClass() + " must be positive (TFLM's Eval)");
        if (!o.regularNms() && o.maxClassesPerDetection() <= 0) throw p.unsupported("max_classes_per_detection " + o.maxClassesPerDetection() + " must be positive (TFLM's Eval)");
        // the most each output gets written: TFLM writes past a smaller tensor
        long detections = o.regularNms() ? o.maxDetections() : (long) o.maxDetections() * perAnchor(o) * perAnchor(o);
        long[] needed = {BOX * detections, detections, detections, 1};
        for (int i = 0; i < 4; i++) {
            if (p.output(i).shape().numElements() < needed[i]) {
                throw p.unsupported("output " + i + " " + p.output(i).shape() + " holds fewer than the " + needed[i] + " values TFLM writes into it");
            }
        }
    }

    private static int perAnchor(Params o) { return Math.min(o.maxClassesPerDetection(), o.numClasses()); }

    /** TFLM's eleven {@code RequestScratchBufferInArena} calls, in order (bytes). */
    @Override
    public List<Long> scratchBytes(Graph graph, Op op) {
        Refusals r = new Preparation(graph, graph.ops().indexOf(op));
        Params o = Params.of(r);
        long n = graph.tensor(op.input(0)).shape().dim(1);
        Tensor classes = graph.tensor(op.input(1));
        long maxDet = o.maxDetections();
        return List.of(n, n * BOX * 4, (long) classes.shape().dim(1) * classes.shape().dim(2) * 4, n * 4, n * 4, maxDet * n * 4, maxDet * n * 4,
                n * 4, maxDet * n * 4, Math.max(o.numClasses(), maxDet) * n * 4, Math.min(n, maxDet) * n * 4);
    }

    @Override
    public void eval(OpContext ctx) {
        Params o = Params.of(ctx);
        new Run(ctx, o).run();
    }

    /** One invocation: the views and the algorithm's steps, each over TFLM's scratch buffers. */
    private static final class Run {
        private final OpContext ctx;
        private final Params o;
        private final View boxes, classes, anchors;
        private final int n, withBackground, labelOffset;

        Run(OpContext ctx, Params o) {
            this.ctx = ctx;
            this.o = o;
            this.boxes = ctx.input(0);
            this.classes = ctx.input(1);
            this.anchors = ctx.input(2);
            this.n = boxes.dim(1);
            this.withBackground = classes.dim(2);
            this.labelOffset = withBackground - o.numClasses();
        }

        void run() {
            decode();
            for (int i = 0; i < 4; i++) clear(ctx.output(i));
            if (o.regularNms()) regular();
            else fast();
        }

        private View scratch(int i) { return ctx.scratch(i); }

        /**
         * TFLM sizes some scratch buffers by max_detections x boxes and writes as many values as the detections it
         * keeps: with one box or one detection that can exceed the request, and TFLM writes past it. Refused here.
         */
        private void room(int buffer, int values) {
            if ((long) values * 4 > scratch(buffer).elements()) {
                throw ctx.invalid("TFLM writes " + values + " values into its scratch buffer " + buffer + " of " + scratch(buffer).elements()
                        + " bytes here (max_detections x boxes is too small for the detections kept): past the buffer");
            }
        }

        /** Centre-size encodings against the anchors to corners (ymin, xmin, ymax, xmax), in double as TFLM does. */
        private void decode() {
            View decoded = scratch(DECODED);
            int stride = boxes.dim(2);
            for (int i = 0; i < n; i++) {
                double y = boxes.f32(i * stride), x = boxes.f32(i * stride + 1), h = boxes.f32(i * stride + 2), w = boxes.f32(i * stride + 3);
                double ay = anchors.f32(i * BOX), ax = anchors.f32(i * BOX + 1), ah = anchors.f32(i * BOX + 2), aw = anchors.f32(i * BOX + 3);
                float yc = (float) (y / (double) o.yScale() * ah + ay);
                float xc = (float) (x / (double) o.xScale() * aw + ax);
                float halfH = (float) (0.5 * StrictMath.exp(h / (double) o.hScale()) * ah);
                float halfW = (float) (0.5 * StrictMath.exp(w / (double) o.wScale()) * aw);
                decoded.setF32(i * BOX, yc - halfH);
                decoded.setF32(i * BOX + 1, xc - halfW);
                decoded.setF32(i * BOX + 2, yc + halfH);
                decoded.setF32(i * BOX + 3, xc + halfW);
            }
        }

        private float score(int box, int column) { return classes.f32(box * withBackground + column + labelOffset); }

        /** Per class: NMS over every anchor, merged with the best so far and cut to max_detections. */
        private void regular() {
            View classScores = scratch(SCORE_BUFFER), boxIndices = scratch(BUFFER), afterScores = scratch(AFTER_NMS_SCORES);
            View sortedIndices = scratch(SORTED_INDICES), sortedValues = scratch(SORTED_VALUES), selected = scratch(SELECTED);
            int kept = 0;
            for (int col = 0; col < o.numClasses(); col++) {
                for (int row = 0; row < n; row++) classScores.setF32(row, score(row, col));
                int selectedSize = nonMaxSuppression(classScores, selected, o.detectionsPerClass());
                int outputIndex = kept;
                for (int buffer : new int[] {BUFFER, AFTER_NMS_SCORES, SORTED_INDICES}) room(buffer, kept + selectedSize);
                for (int i = 0; i < selectedSize; i++) {
                    int s = selected.i32(i);
                    boxIndices.setI32(outputIndex, s * withBackground + col + labelOffset);
                    afterScores.setF32(outputIndex, classScores.f32(s));
                    outputIndex++;
                }
                int toSort = Math.min(outputIndex, o.maxDetections());
                partialArgSortDescending(afterScores, outputIndex, toSort, sortedIndices, 0);
                for (int row = 0; row < toSort; row++) {
                    int t = sortedIndices.i32(row);
                    sortedIndices.setI32(row, boxIndices.i32(t));
                    sortedValues.setF32(row, afterScores.f32(t));
                }
                for (int row = 0; row < toSort; row++) {
                    boxIndices.setI32(row, sortedIndices.i32(row));
                    afterScores.setF32(row, sortedValues.f32(row));
                }
                kept = toSort;
            }
            View outBoxes = ctx.output(0), outClasses = ctx.output(1), outScores = ctx.output(2);
            for (int d = 0; d < kept; d++) {
                int index = boxIndices.i32(d);
                int anchor = index / withBackground;
                copyBox(anchor, outBoxes, d);
                outClasses.setF32(d, index - anchor * withBackground - labelOffset);
                outScores.setF32(d, afterScores.f32(d));
            }
            ctx.output(3).setF32(0, kept);
        }

        /** Each anchor by its best classes; NMS over the anchors' best scores. */
        private void fast() {
            int perAnchor = perAnchor(o);
            View maxScores = scratch(SCORE_BUFFER), classIndices = scratch(BUFFER), selected = scratch(SELECTED);
            for (int row = 0; row < n; row++) {
                int base = row * o.numClasses();
                partialArgSortDescendingScores(row, perAnchor, classIndices, base);
                maxScores.setF32(row, score(row, classIndices.i32(base)));
            }
            int selectedSize = nonMaxSuppression(maxScores, selected, o.maxDetections());
            View outBoxes = ctx.output(0), outClasses = ctx.output(1), outScores = ctx.output(2);
            int outputIndex = 0;
            for (int i = 0; i < selectedSize; i++) {
                int s = selected.i32(i);
                for (int col = 0; col < perAnchor; col++) {
                    // TFLM's offset: with one class per anchor (the usual), detection i goes to slot i
                    int slot = perAnchor * outputIndex + col;
                    int cls = classIndices.i32(s * o.numClasses() + col);
                    copyBox(s, outBoxes, slot);
                    outClasses.setF32(slot, cls);
                    outScores.setF32(slot, score(s, cls));
                    outputIndex++;
                }
            }
            ctx.output(3).setF32(0, outputIndex);
        }

        /**
         * TFLM's single-class NMS over {@code scores} (one per anchor): anchors at or above the score threshold,
         * best first (stable), each dropping the later ones it overlaps by more than the IoU threshold; the chosen
         * anchors go to {@code selected}, at most {@code maxDetections}. Returns how many.
         */
        private int nonMaxSuppression(View scores, View selected, int maxDetections) {
            View decoded = scratch(DECODED);
            for (int i = 0; i < n; i++) {
                if (decoded.f32(i * BOX) >= decoded.f32(i * BOX + 2) || decoded.f32(i * BOX + 1) >= decoded.f32(i * BOX + 3)) {
                    throw ctx.invalid("decoded box " + i + " is empty or inverted (ymin >= ymax or xmin >= xmax): TFLM's Eval fails on it");
                }
            }
            View keepIndices = scratch(KEEP_INDICES), keepScores = scratch(KEEP_SCORES), sortedIndices = scratch(SORTED_INDICES);
            int kept = 0;
            for (int i = 0; i < n; i++) {
                if (scores.f32(i) >= o.scoreThreshold()) {
                    keepScores.setF32(kept, scores.f32(i));
                    keepIndices.setI32(kept, i);
                    kept++;
                }
            }
            room(SORTED_INDICES, kept);
            room(SELECTED, Math.min(kept, maxDetections));
            // keep_indices serves as the merge sort's scratch, then is written again
            argSortDescendingStable(keepScores, kept, sortedIndices, keepIndices);
            int counter = 0;
            for (int i = 0; i < n; i++) if (scores.f32(i) >= o.scoreThreshold()) keepIndices.setI32(counter++, i);

            int outputSize = Math.min(kept, maxDetections);
            int selectedSize = 0;
            int active = kept;
            View activeCandidate = scratch(ACTIVE);
            for (int row = 0; row < kept; row++) activeCandidate.setI8(row, 1);
            for (int i = 0; i < kept; i++) {
                if (active == 0 || selectedSize >= outputSize) break;
                if (activeCandidate.i8(i) != 1) continue;
                int boxI = keepIndices.i32(sortedIndices.i32(i));
                selected.setI32(selectedSize++, boxI);
                activeCandidate.setI8(i, 0);
                active--;
                for (int j = i + 1; j < kept; j++) {
                    if (activeCandidate.i8(j) == 1 && iou(decoded, boxI, keepIndices.i32(sortedIndices.i32(j))) > o.iouThreshold()) {
                        activeCandidate.setI8(j, 0);
                        active--;
                    }
                }
            }
            return selectedSize;
        }

        /** TFLM's ComputeIntersectionOverUnion, in float. */
        private static float iou(View d, int i, int j) {
            float iy0 = d.f32(i * BOX), ix0 = d.f32(i * BOX + 1), iy1 = d.f32(i * BOX + 2), ix1 = d.f32(i * BOX + 3);
            float jy0 = d.f32(j * BOX), jx0 = d.f32(j * BOX + 1), jy1 = d.f32(j * BOX + 2), jx1 = d.f32(j * BOX + 3);
            float areaI = (iy1 - iy0) * (ix1 - ix0);
            float areaJ = (jy1 - jy0) * (jx1 - jx0);
            if (areaI <= 0 || areaJ <= 0) return 0f;
            float inter = Math.max(Math.min(iy1, jy1) - Math.max(iy0, jy0), 0f) * Math.max(Math.min(ix1, jx1) - Math.max(ix0, jx0), 0f);
            return inter / (areaI + areaJ - inter);
        }

        private void copyBox(int anchor, View out, int slot) {
            View decoded = scratch(DECODED);
            for (int k = 0; k < BOX; k++) out.setF32(slot * BOX + k, decoded.f32(anchor * BOX + k));
        }

        private static void clear(View out) {
            for (int i = 0; i < out.elements(); i++) out.setF32(i, 0f);
        }

        /**
         * The order of TFLM's {@code DecreasingPartialArgSort} over {@code count} scores of {@code values}: the first
         * {@code toSort} indices by descending value, equal values by ascending index (the comparison is a total
         * order, so any partial sort agrees), written to {@code indices} from {@code at}.
         */
        private static void partialArgSortDescending(View values, int count, int toSort, View indices, int at) {
            partialSort(count, toSort, indices, at, values::f32);
        }

        /** The same over one anchor's class scores (TFLM points into the class predictions). */
        private void partialArgSortDescendingScores(int row, int toSort, View indices, int at) {
            partialSort(o.numClasses(), toSort, indices, at, c -> score(row, c));
        }

        private static void partialSort(int count, int toSort, View indices, int at, java.util.function.IntToDoubleFunction value) {
            for (int i = 0; i < count; i++) indices.setI32(at + i, i);
            // selection of the best remaining index, position by position
            for (int pos = 0; pos < toSort; pos++) {
                int best = pos;
                for (int k = pos + 1; k < count; k++) {
                    if (before(value, indices.i32(at + k), indices.i32(at + best))) best = k;
                }
                int t = indices.i32(at + pos);
                indices.setI32(at + pos, indices.i32(at + best));
                indices.setI32(at + best, t);
            }
        }

        private static boolean before(java.util.function.IntToDoubleFunction value, int i, int j) {
            double a = value.applyAsDouble(i), b = value.applyAsDouble(j);
            return a > b || (a == b && i < j);
        }

        /**
         * TFLM's {@code DecreasingArgSort}: indices 0..count-1 stably sorted by descending value, with its merge
         * sort (insertion sort below 20 values) and {@code scratch} for merging, so even incomparable values
         * (NaN) end where TFLM puts them.
         */
        private static void argSortDescendingStable(View values, int count, View indices, View scratch) {
            for (int i = 0; i < count; i++) indices.setI32(i, i);
            mergeSort(values, indices, 0, count, scratch);
        }

        private static boolean greater(View values, int i, int j) { return values.f32(i) > values.f32(j); }

        private static void mergeSort(View values, View idx, int from, int count, View scratch) {
            if (count < INSERTION_SORT_BELOW) {
                insertionSort(values, idx, from, count);
                return;
            }
            int half = count / 2;
            mergeSort(values, idx, from, half, scratch);
            mergeSort(values, idx, from + half, count - half, scratch);
            int left = 0, right = half;
            for (int i = 0; i < count; i++) {
                if (left >= half || (right < count && greater(values, idx.i32(from + right), idx.i32(from + left)))) scratch.setI32(i, idx.i32(from + right++));
                else scratch.setI32(i, idx.i32(from + left++));
            }
            for (int i = 0; i < count; i++) idx.setI32(from + i, scratch.i32(i));
        }

        /** Each element moves before the first earlier one it is greater than (upper bound, then rotate): stable. */
        private static void insertionSort(View values, View idx, int from, int count) {
            for (int i = 1; i < count; i++) {
                int v = idx.i32(from + i);
                int pos = 0, hi = i;
                // upper_bound: the first position whose element v is "greater" than
                while (pos < hi) {
                    int mid = (pos + hi) >>> 1;
                    if (greater(values, v, idx.i32(from + mid))) hi = mid;
                    else pos = mid + 1;
                }
                for (int k = i; k > pos; k--) idx.setI32(from + k, idx.i32(from + k - 1));
                idx.setI32(from + pos, v);
            }
        }
    }
}
