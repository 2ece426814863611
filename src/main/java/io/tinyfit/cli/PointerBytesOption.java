package io.tinyfit.cli;

import io.tinyfit.model.TinyfitException;
import picocli.CommandLine.Option;

/** The {@code --pointer-bytes} option the commands share (a picocli mixin): the TFLM build the whole arena is for. */
final class PointerBytesOption {
    @Option(names = "--pointer-bytes", paramLabel = "4|8",
            description = "pointer width of the TFLM build the whole arena is predicted for: 4 (32-bit MCU) or 8 (64-bit host) (default: ${DEFAULT-VALUE})")
    int pointerBytes = 4;

    int value() {
        if (pointerBytes != 4 && pointerBytes != 8) {
            throw new TinyfitException("--pointer-bytes must be 4 (32-bit build) or 8 (64-bit build), got " + pointerBytes);
        }
        return pointerBytes;
    }
}
