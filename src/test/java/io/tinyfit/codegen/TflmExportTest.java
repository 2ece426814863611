package io.tinyfit.codegen;

import io.tinyfit.arena.TflmArena;
import io.tinyfit.model.DType;
import io.tinyfit.model.Graph;
import io.tinyfit.model.TestModels;
import io.tinyfit.plan.TflmBaseline;
import io.tinyfit.tflite.ModelWriter;
import io.tinyfit.tflite.TflmLint;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code tinyfit export}'s three files: the model byte for byte in a 16-byte aligned array, kTensorArenaSize equal to
 * the whole-arena prediction, and one resolver registration per distinct operator with TFLM's method name. No TFLM
 * sources are at hand, so the C++ is compiled against stub declarations of TFLM's resolver, which list the Add*
 * methods of TFLM's micro_mutable_op_resolver.h: a misspelt method does not compile.
 */
class TflmExportTest {
    /** The Add* methods of tensorflow/lite/micro/micro_mutable_op_resolver.h (tflite-micro, 2023), copied by hand. */
    private static final List<String> TFLM_METHODS = List.of("AddAbs", "AddAdd", "AddAddN", "AddArgMax", "AddArgMin", "AddAssignVariable",
            "AddAveragePool2D", "AddBatchToSpaceNd", "AddBroadcastArgs", "AddBroadcastTo", "AddCallOnce", "AddCast", "AddCeil", "AddCircularBuffer",
            "AddConcatenation", "AddConv2D", "AddCos", "AddCumSum", "AddDepthToSpace", "AddDepthwiseConv2D", "AddDequantize", "AddDetectionPostprocess",
            "AddDiv", "AddElu", "AddEqual", "AddEthosU", "AddExp", "AddExpandDims", "AddFill", "AddFloor", "AddFloorDiv", "AddFloorMod",
            "AddFullyConnected", "AddGather", "AddGatherNd", "AddGreater", "AddGreaterEqual", "AddHardSwish", "AddIf", "AddL2Normalization",
            "AddL2Pool2D", "AddLeakyRelu", "AddLess", "AddLessEqual", "AddLog", "AddLogicalAnd", "AddLogicalNot", "AddLogicalOr", "AddLogistic",
            "AddLogSoftmax", "AddMaximum", "AddMaxPool2D", "AddMirrorPad", "AddMean", "AddMinimum", "AddMul", "AddNeg", "AddNotEqual", "AddPack",
            "AddPad", "AddPadV2", "AddPrelu", "AddQuantize", "AddReadVariable", "AddReduceMax", "AddRelu", "AddRelu6", "AddReshape",
            "AddResizeBilinear", "AddResizeNearestNeighbor", "AddRound", "AddRsqrt", "AddSelectV2", "AddShape", "AddSin", "AddSlice", "AddSoftmax",
            "AddSpaceToBatchNd", "AddSpaceToDepth", "AddSplit", "AddSplitV", "AddSqueeze", "AddSqrt", "AddSquare", "AddSquaredDifference",
            "AddStridedSlice", "AddSub", "AddSum", "AddSvdf", "AddTanh", "AddTransposeConv", "AddTranspose", "AddUnpack",
            "AddUnidirectionalSequenceLSTM", "AddVarHandle", "AddWhile", "AddZerosLike");
    private static final Pattern CALL = Pattern.compile("resolver\\.(Add\\w+)\\(\\)");

    @TempDir
    Path tmp;

    private final Graph model = TestModels.everyOp(DType.INT8);
    private final byte[] bytes = ModelWriter.toBytes(model);
    private final long head = TflmBaseline.plan(model).arenaBytes();

    private TflmExport.Export export(int pointerBytes) {
        return TflmExport.generate(model, bytes, TflmLint.check(bytes, model.source()), head, pointerBytes);
    }

    @Test
    void theResolverRegistersEachDistinctOperatorOnceWithTflmsMethod() {
        String resolver = export(4).files().text(TflmExport.RESOLVER_H);
        Matcher m = CALL.matcher(resolver);
        List<String> calls = Stream.iterate(m.find(), found -> found, found -> m.find()).map(found -> m.group(1)).toList();
        // every-op: PAD, CONV_2D twice, DEPTHWISE_CONV_2D, ADD, MAX_POOL_2D, AVERAGE_POOL_2D, CONCATENATION, MEAN, RESHAPE, FULLY_CONNECTED, SOFTMAX
        assertThat(calls).containsExactly("AddAdd", "AddAveragePool2D", "AddConcatenation", "AddConv2D", "AddDepthwiseConv2D", "AddFullyConnected",
                "AddMaxPool2D", "AddMean", "AddPad", "AddReshape", "AddSoftmax");
        assertThat(resolver).contains("using ModelOpResolver = tflite::MicroMutableOpResolver<11>;").contains("// CONV_2D, 2 operators");
        assertThat(TFLM_METHODS).containsAll(calls);
    }

    @Test
    void everyMappedMethodIsOneOfTflms() {
        for (String kind : List.of("CONV_2D", "UNIDIRECTIONAL_SEQUENCE_LSTM", "SVDF", "CUSTOM(TFLite_Detection_PostProcess)", "PADV2", "CUMSUM")) {
            assertThat(TflmOpResolver.method(kind)).as(kind).get().isIn(TFLM_METHODS);
        }
        assertThat(TflmOpResolver.method("CUSTOM(TFLite_Detection_PostProcess)")).contains("AddDetectionPostprocess");
        assertThat(TflmOpResolver.method("RELU_N1_TO_1")).isEmpty();
    }

    @Test
    void theHeadersArenaIsTheWholeArenaPredictionForThePointerWidth() {
        for (int width : new int[] {4, 8}) {
            TflmExport.Export e = export(width);
            long predicted = TflmArena.predict(model, head, width).orElseThrow().predictedMinBytes();
            assertThat(e.arena().predictedMinBytes()).isEqualTo(predicted);
            assertThat(e.files().text(TflmExport.MODEL_DATA_H)).contains("constexpr int kTensorArenaSize = " + predicted + ";")
                    .contains("on a " + width * 8 + "-bit build");
        }
        assertThat(export(8).arena().predictedMinBytes()).isGreaterThan(export(4).arena().predictedMinBytes());
    }

    @Test
    void theCppParsesAgainstTflmsDeclarationsAndTheArrayIsTheFileAligned() throws IOException {
        Assumptions.assumeTrue(HostToolchain.run(tmp, List.of("g++", "--version"), 60).ok(), "g++ not found; skipping the C++ check of the exported files");
        Path out = tmp.resolve("out");
        export(4).files().writeTo(out);
        Path stub = tmp.resolve("stub/tensorflow/lite/micro/micro_mutable_op_resolver.h");
        Files.createDirectories(stub.getParent());
        Files.writeString(stub, "#pragma once\n#include <cstdio>\ntypedef enum { kTfLiteOk = 0, kTfLiteError = 1 } TfLiteStatus;\n"
                + "namespace tflite {\ntemplate <unsigned int tOpCount> class MicroMutableOpResolver {\n public:\n"
                + TFLM_METHODS.stream().map(n -> "  TfLiteStatus " + n + "() { std::printf(\"" + n + "\\n\"); return ++n_ <= tOpCount ? kTfLiteOk : kTfLiteError; }\n")
                .collect(Collectors.joining())
                + " private:\n  unsigned int n_ = 0;\n};\n}  // namespace tflite\n");
        Path main = tmp.resolve("main.cc");
        Files.writeString(main, """
                #include <cstdint>
                #include <cstdio>
                #include "model_data.h"
                #include "model_resolver.h"
                alignas(16) static uint8_t tensor_arena[kTensorArenaSize];
                int main(int argc, char** argv) {
                  ModelOpResolver resolver;
                  if (RegisterModelOps(resolver) != kTfLiteOk) return 3;
                  if (reinterpret_cast<uintptr_t>(g_model_data) % 16 != 0) return 4;
                  FILE* f = std::fopen(argv[1], "wb");
                  std::fwrite(g_model_data, 1, g_model_data_len, f);
                  std::fclose(f);
                  return tensor_arena[0] + (argc == 2 ? 0 : 5);
                }
                """);
        List<String> include = List.of("-I", tmp.resolve("stub").toString(), "-I", out.toString());
        List<String> sources = List.of(out.resolve(TflmExport.MODEL_DATA_CC).toString(), main.toString());
        HostToolchain.Result syntax = HostToolchain.run(tmp, concat(List.of("g++", "-std=c++17", "-Wall", "-Wextra", "-Werror", "-fsyntax-only"), include, sources), 300);
        assertThat(syntax.ok()).as(syntax.err()).isTrue();
        HostToolchain.Result build = HostToolchain.run(tmp, concat(List.of("g++", "-std=c++17", "-O0", "-o", "check"), include, sources), 300);
        assertThat(build.ok()).as(build.err()).isTrue();
        HostToolchain.Result run = HostToolchain.run(tmp, List.of(tmp.resolve("check").toString(), tmp.resolve("copy.tflite").toString()), 60);
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out().lines()).containsExactly("AddAdd", "AddAveragePool2D", "AddConcatenation", "AddConv2D", "AddDepthwiseConv2D",
                "AddFullyConnected", "AddMaxPool2D", "AddMean", "AddPad", "AddReshape", "AddSoftmax");
        assertThat(Files.readAllBytes(tmp.resolve("copy.tflite"))).isEqualTo(bytes);
    }

    @SafeVarargs
    private static List<String> concat(List<String>... parts) {
        return Stream.of(parts).flatMap(List::stream).toList();
    }
}
