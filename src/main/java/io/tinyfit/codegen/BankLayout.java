package io.tinyfit.codegen;

import io.tinyfit.model.UnsupportedOperatorException;
import io.tinyfit.plan.Bank;
import io.tinyfit.plan.Plan;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The plan's banks as the generated C numbers them: bank 0 is the SRAM arena, a static array of exactly its size;
 * banks 1.. are the slower memories (external PSRAM, say), each a block of exactly its size the application
 * provides through {@code model_set_bank} before the first inference. Addresses in the arena are link-time
 * constants; addresses in a provided bank are known only at run time, so views into those banks are filled in just
 * before their step runs.
 */
final class BankLayout {
    private final List<Bank> banks;

    private BankLayout(List<Bank> banks) { this.banks = List.copyOf(banks); }

    static BankLayout of(Plan plan) {
        List<Bank> list = new ArrayList<>();
        list.add(plan.bank(Bank.SRAM));
        Set<String> macros = new HashSet<>();
        for (Bank b : plan.banks()) {
            if (b.name().equals(Bank.SRAM)) continue;
            if (b.bytes() > 0xFFFF_FFFFL) throw new UnsupportedOperatorException(plan.graph().source() + ": bank " + b.name() + " of " + b.bytes() + " bytes exceeds 32-bit offsets");
            if (!macros.add(identifier(b.name()))) {
                throw new UnsupportedOperatorException(plan.graph().source() + ": banks named " + b.name() + " and another one map to the same C name " + identifier(b.name()));
            }
            list.add(b);
        }
        return new BankLayout(list);
    }

    List<Bank> banks() { return banks; }

    int count() { return banks.size(); }

    int index(String name) {
        for (int i = 0; i < banks.size(); i++) if (banks.get(i).name().equals(name)) return i;
        throw new IllegalArgumentException("plan has no bank " + name);
    }

    /** True for the SRAM arena, whose addresses are constants. */
    static boolean isArena(String name) { return name.equals(Bank.SRAM); }

    /** The C expression of the bank's first byte. */
    String base(String name) { return isArena(name) ? "arena" : "banks[" + index(name) + "]"; }

    /** The bank's name as part of a C macro: upper case, anything but letters and digits an underscore. */
    static String identifier(String name) {
        StringBuilder sb = new StringBuilder();
        for (char c : name.toUpperCase(Locale.ROOT).toCharArray()) sb.append(Character.isLetterOrDigit(c) && c < 128 ? c : '_');
        return sb.toString();
    }
}
