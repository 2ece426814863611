package io.tinyfit.codegen;

import io.tinyfit.kernels.KernelParameters;
import io.tinyfit.kernels.QuantizedMath;
import io.tinyfit.model.DType;
import io.tinyfit.model.Tensor;

import java.util.Map;

/** AVERAGE_POOL_2D and MAX_POOL_2D on int8. */
final class PoolEmitters {
    private PoolEmitters() {}

    static void register(Map<String, StepEmitter> emitters) {
        emitters.put("AVERAGE_POOL_2D", w -> pool(w, "tf_average_pool_s8"));
        emitters.put("MAX_POOL_2D", w -> pool(w, "tf_max_pool_s8"));
    }

    private static void pool(StepWriter w, String kernel) {
        Tensor in = w.input(0), out = w.output(0);
        w.requireType(in, "input", DType.INT8);
        w.requireType(out, "output", DType.INT8);
        int[] id = w.dims4(in), od = w.dims4(out);
        KernelParameters.Window win = KernelParameters.poolWindow(w.graph(), w.op());
        int[] act = QuantizedMath.activationRange(win.activation(), DType.INT8, out.quant().scale(), out.quant().zeroPoint());
        var o = w.op().options();
        String p = w.params("tf_pool_params", new StepWriter.Fields().put("in_h", id[1]).put("in_w", id[2])
                .put("filter_h", o.getInt("filterHeight")).put("filter_w", o.getInt("filterWidth"))
                .put("stride_h", win.strideH()).put("stride_w", win.strideW()).put("pad_h", win.padH()).put("pad_w", win.padW())
                .put("act_min", act[0]).put("act_max", act[1]));
        w.call(kernel, "&" + p, "&" + w.view(in.id(), id), "&" + w.view(out.id(), od), "&" + w.region(od));
    }
}
