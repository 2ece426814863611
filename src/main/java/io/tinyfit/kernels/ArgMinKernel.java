package io.tinyfit.kernels;

/** ARG_MIN: {@link ArgMaxKernel#argMinMax} with TFLM's {@code LessFn}; ties keep the earliest index. */
final class ArgMinKernel implements Kernel {
    @Override
    public void prepare(Preparation p) { ArgMaxKernel.prepareArgMinMax(p); }


    @Override
    public void eval(OpContext ctx) { ArgMaxKernel.argMinMax(ctx, false); }
}
