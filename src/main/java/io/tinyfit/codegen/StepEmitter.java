package io.tinyfit.codegen;

/**
 * Turns one operator into C: checks that the C runtime has a kernel for its variant (refusing it by name
 * otherwise), bakes the constants TFLM's Prepare derives into the step's parameters, and emits the kernel call.
 */
@FunctionalInterface
interface StepEmitter {
    void emit(StepWriter w);
}
