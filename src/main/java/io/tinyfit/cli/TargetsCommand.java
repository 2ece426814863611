package io.tinyfit.cli;

import io.tinyfit.report.Json;
import io.tinyfit.report.TargetsReport;
import io.tinyfit.targets.Boards;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "targets", mixinStandardHelpOptions = true,
        description = "The board catalogue --target uses: SRAM (and the largest contiguous bank), flash, external memory, CPU and the usual TFLM kernel library, each figure with its source.")
final class TargetsCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "BOARD", description = "show one board (case-insensitive id) with the source of every figure")
    String board;

    @Option(names = "--json", paramLabel = "FILE", description = "also write the catalogue as JSON")
    Path json;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override public Integer call() {
        var out = spec.commandLine().getOut();
        if (board != null) {
            out.print(TargetsReport.detail(Boards.find(board, "BOARD")));
        } else {
            out.print(TargetsReport.table(Boards.all()));
        }
        if (json != null) Json.write(TargetsReport.json(board == null ? Boards.all() : java.util.List.of(Boards.find(board, "BOARD"))), json);
        return 0;
    }
}
