package io.tinyfit.cli;

import io.tinyfit.model.TinyfitException;
import picocli.CommandLine.Command;
import picocli.CommandLine;

import java.io.PrintWriter;

/** The {@code tinyfit} command line. Commands are thin: parse, call the library, print. */
@Command(name = "tinyfit", mixinStandardHelpOptions = true, version = "tinyfit " + io.tinyfit.tflite.TinyfitMarker.VERSION,
        description = "Fit neural networks into microcontroller SRAM: measure, plan and verify the tensor arena of .tflite models.",
        subcommands = {AnalyzeCommand.class, RunCommand.class, OptimizeCommand.class, CodegenCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    /** Exit code for bad input (unreadable model, unsupported operator, bad inputs). */
    public static final int EXIT_BAD_INPUT = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs a command line; errors become one line on {@code err} and a non-zero exit code. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof TinyfitException) {
                err.println("tinyfit: " + ex.getMessage());
                return EXIT_BAD_INPUT;
            }
            err.println("tinyfit: internal error: " + ex);
            return 1;
        });
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println("tinyfit: " + ex.getMessage());
            err.println("Try 'tinyfit " + (ex.getCommandLine().getCommandName().equals("tinyfit") ? "" : ex.getCommandLine().getCommandName() + " ") + "--help'.");
            return EXIT_BAD_INPUT;
        });
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
    }
}
