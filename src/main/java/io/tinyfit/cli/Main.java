package io.tinyfit.cli;

import io.tinyfit.model.TinyfitException;
import picocli.CommandLine.Command;
import picocli.CommandLine;

import java.io.PrintWriter;

/** The {@code tinyfit} command line. Commands are thin: parse, call the library, print. */
@Command(name = "tinyfit", mixinStandardHelpOptions = true, version = "tinyfit " + io.tinyfit.tflite.TinyfitMarker.VERSION,
        description = "Fit neural networks into microcontroller SRAM: measure, plan and verify the tensor arena of .tflite models.",
        subcommands = {AnalyzeCommand.class, RunCommand.class, OptimizeCommand.class, RewriteCommand.class, CodegenCommand.class, ExportCommand.class, TargetsCommand.class,
                BenchCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success; with --budget or --target, the arena fits", "1:the arena does not fit the --budget or --target (the best plan is still written)",
                "2:bad input or usage (model, options, output paths)", "70:internal error: a bug in tinyfit, please report it"})
public final class Main implements Runnable {
    /** Exit code when the arena does not fit the budget (--budget, --target): the only meaning of 1, so CI can test it. */
    public static final int EXIT_BUDGET_NOT_MET = 1;
    /** Exit code for bad input (unreadable model, unsupported operator, bad inputs) and for usage errors. */
    public static final int EXIT_BAD_INPUT = 2;
    /** Exit code for tinyfit's own bugs (EX_SOFTWARE of sysexits.h), apart from the codes any input can cause. */
    public static final int EXIT_INTERNAL_ERROR = 70;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT, description = "print the stack trace of an error")
    boolean debug;

    @Override public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Whether standard error reaches a person at a terminal (set by {@link #main}; never for {@link #execute} alone). */
    private static volatile boolean terminal;

    static boolean errIsTerminal() { return terminal; }

    public static void main(String[] args) {
        // System.console() exists only when the JVM talks to a terminal; a pipe or a file gets plain progress lines
        terminal = System.console() != null;
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /**
     * Runs a command line; errors become one line on {@code err} and a non-zero exit code: 1 only when an arena does
     * not fit its budget (the command's own result), 2 for every failure the input causes (a
     * {@link TinyfitException}, naming the file and the tensor or operator, a usage error, and running out of
     * memory), 70 for tinyfit's own bugs. A stack trace follows only with {@code --debug}.
     */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        return execute(new Main(), args, out, err);
    }

    /** {@link #execute(String[], PrintWriter, PrintWriter)} for any picocli command object (the tests plant failures). */
    static int execute(Object command, String[] args, PrintWriter out, PrintWriter err) {
        return execute(command, CommandLine.defaultFactory(), args, out, err);
    }

    /** The same with the objects of the subcommands made by {@code factory} (tests give commands another working directory). */
    static int execute(Object command, CommandLine.IFactory factory, String[] args, PrintWriter out, PrintWriter err) {
        boolean debug = java.util.Arrays.asList(args).contains("--debug");
        CommandLine cl = new CommandLine(command, factory);
        cl.setOut(out);
        cl.setErr(err);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        ownExitCodes(cl);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof TinyfitException) {
                err.println("tinyfit: " + oneLine(ex.getMessage()));
                trace(ex, err, debug);
                return EXIT_BAD_INPUT;
            }
            err.println("tinyfit: internal error (a bug in tinyfit; please report it with the command line and the model): " + oneLine(ex.toString())
                    + (debug ? "" : " (--debug prints the stack trace)"));
            trace(ex, err, debug);
            return EXIT_INTERNAL_ERROR;
        });
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println("tinyfit: " + ex.getMessage());
            err.println("Try 'tinyfit " + (ex.getCommandLine().getCommandName().equals("tinyfit") ? "" : ex.getCommandLine().getCommandName() + " ") + "--help'.");
            return EXIT_BAD_INPUT;
        });
        int code;
        try {
            code = cl.execute(args);
        } catch (OutOfMemoryError e) {
            // picocli lets errors through; the limits should keep a model from getting here, so say what to change
            // no stack trace, even with --debug: where the heap ran out says nothing about why
            err.println("tinyfit: out of memory" + modelOf(args) + " (Java heap " + Runtime.getRuntime().maxMemory() / (1 << 20)
                    + " MiB): lower --max-arena-bytes to refuse such models, or give Java more heap (TINYFIT_JAVA_OPTS=-Xmx...)");
            code = EXIT_BAD_INPUT;
        } catch (StackOverflowError e) {
            err.println("tinyfit: internal error (a bug in tinyfit; please report it with the command line and the model): stack overflow" + modelOf(args));
            trace(e, err, debug);
            code = EXIT_INTERNAL_ERROR;
        }
        out.flush();
        err.flush();
        return code;
    }

    /**
     * picocli's own codes (1 when an exception escapes, 2 for usage) set on every command, so that none can collide
     * with "budget not met".
     */
    private static void ownExitCodes(CommandLine cl) {
        cl.getCommandSpec().exitCodeOnInvalidInput(EXIT_BAD_INPUT).exitCodeOnExecutionException(EXIT_INTERNAL_ERROR);
        cl.getSubcommands().values().forEach(Main::ownExitCodes);
    }

    private static void trace(Throwable t, PrintWriter err, boolean debug) {
        if (debug) t.printStackTrace(err);
    }

    /** Messages are printed as one line, whatever a library put into them. */
    static String oneLine(String message) {
        return message == null ? "" : message.replaceAll("\\s*[\\r\\n]+\\s*", " ");
    }

    /** {@code " in MODEL"} for the first .tflite argument, for messages that do not come with a file name. */
    private static String modelOf(String[] args) {
        for (String a : args) if (a.endsWith(".tflite")) return " in " + a;
        return "";
    }
}
