package io.tinyfit.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The option of every command that writes files (a picocli mixin): whether an output may replace an input. */
final class OutputOptions {
    @Option(names = "--force", description = "let an output replace one of the command's input files (refused by default)")
    boolean force;

    /** The command's outputs, checked against these inputs (null entries skipped; a folder stands for its files). */
    Outputs against(Path... inputs) { return new Outputs(force, inputs); }
}
