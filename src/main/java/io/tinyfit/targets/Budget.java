package io.tinyfit.targets;

import io.tinyfit.model.TinyfitException;

import java.util.Optional;

/**
 * The memory a model's arena must fit: {@code --budget}, or the {@code --target} board's largest contiguous SRAM bank,
 * for a TFLM build of {@code pointerBytes}-byte pointers (the board's).
 *
 * @param board the {@code --target} board, or null
 */
public record Budget(long bytes, Board board, int pointerBytes) {
    public Budget {
        if (bytes <= 0) throw new IllegalArgumentException("a budget must be positive, not " + bytes);
    }

    /**
     * The budget of the command line's {@code --budget} and {@code --target}, empty when neither is given. With both,
     * {@code --budget} is the share of the board's memory the arena may take, so it may not exceed the board's
     * largest bank; with a board, the pointer width is the board's, and an explicit different one is an error.
     *
     * @param explicitPointerBytes the {@code --pointer-bytes} the user gave, if any
     */
    public static Optional<Budget> of(Long budgetBytes, String target, Optional<Integer> explicitPointerBytes, int defaultPointerBytes) {
        if (budgetBytes == null && target == null) return Optional.empty();
        if (budgetBytes != null && budgetBytes <= 0) throw new TinyfitException("--budget must be at least 1 byte, not " + budgetBytes);
        if (target == null) return Optional.of(new Budget(budgetBytes, null, explicitPointerBytes.orElse(defaultPointerBytes)));
        Board b = Boards.find(target, "--target");
        explicitPointerBytes.filter(p -> p != b.pointerBytes()).ifPresent(p -> {
            throw new TinyfitException("--pointer-bytes " + p + " contradicts --target " + b.id() + ", a " + b.pointerBytes() * 8 + "-bit board");
        });
        if (budgetBytes != null && budgetBytes > b.largestBankBytes()) {
            throw new TinyfitException("--budget " + ByteSize.format(budgetBytes) + " is more than " + b.name() + " has for one arena: its " + b.budgetMemory());
        }
        return Optional.of(new Budget(budgetBytes != null ? budgetBytes : b.largestBankBytes(), b, b.pointerBytes()));
    }

    /** "262,144 B (Arduino Nano 33 BLE Sense: SRAM 256 KiB)" or "65,536 B (--budget)". */
    public String describe() {
        String amount = String.format(java.util.Locale.ROOT, "%,d B", bytes);
        if (board == null) return amount + " (--budget)";
        return amount + " (" + board.name() + ": " + (bytes == board.largestBankBytes() ? board.budgetMemory() : "--budget, of its " + board.budgetMemory()) + ")";
    }
}
