/**
 * The whole TFLite Micro tensor arena ({@code kTensorArenaSize}): a replay of the allocations TFLM's
 * {@code MicroInterpreter::AllocateTensors()} makes in its one arena, from the data structures and each reference
 * kernel's {@code Init}/{@code Prepare}, per pointer width. Sits between {@code tflite} and {@code plan}: it needs the
 * model and the kernels' scratch requests, and takes the planned head from its caller.
 */
package io.tinyfit.arena;
