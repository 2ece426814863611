package io.tinyfit.report;

import io.tinyfit.targets.Board;
import io.tinyfit.targets.ByteSize;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The board catalogue as {@code tinyfit targets} prints it: a table, one board with its sources, or JSON. */
public final class TargetsReport {
    private TargetsReport() {}

    public static String table(List<Board> boards) {
        StringBuilder sb = new StringBuilder();
        int id = boards.stream().mapToInt(b -> b.id().length()).max().orElse(2);
        int name = boards.stream().mapToInt(b -> b.name().length()).max().orElse(5);
        int cpu = boards.stream().mapToInt(b -> b.cpu().label().length()).max().orElse(3);
        String row = "%-" + id + "s  %-" + name + "s  %-" + cpu + "s %9s %9s %9s %9s  %s%n";
        sb.append(String.format(row, "id", "board", "cpu", "SRAM", "largest", "flash", "ext RAM", "kernels"));
        for (Board b : boards) {
            sb.append(String.format(row, b.id(), b.name(), b.cpu().label(), ByteSize.format(b.sramBytes()),
                    b.splitBanks() ? ByteSize.format(b.largestBankBytes()) : "=", ByteSize.format(b.flashBytes()),
                    b.externalRamBytes() == 0 ? "-" : ByteSize.format(b.externalRamBytes()), b.kernels()));
        }
        sb.append(String.format("%n%d boards, all %s. 'largest' is the largest contiguous SRAM bank where banks are split (= when the SRAM is one range):"
                + " --target budgets it. 'tinyfit targets BOARD' shows a board's sources.%n", boards.size(),
                boards.stream().allMatch(b -> b.pointerBytes() == 4) ? "32-bit" : "of their own pointer width"));
        return sb.toString();
    }

    /** One board, every figure with its source; figures not checked against their source are marked. */
    public static String detail(Board b) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%s (%s): %s%n", b.name(), b.id(), b.mcu()));
        line(sb, b, Board.Figure.SRAM, "SRAM", ByteSize.format(b.sramBytes()));
        line(sb, b, Board.Figure.LARGEST_BANK, "largest bank", ByteSize.format(b.largestBankBytes()) + " (" + b.bankNote() + ")");
        line(sb, b, Board.Figure.FLASH, "flash", ByteSize.format(b.flashBytes()));
        line(sb, b, Board.Figure.EXTERNAL, "external", "flash " + (b.externalFlashBytes() == 0 ? "none" : ByteSize.format(b.externalFlashBytes()))
                + ", RAM " + (b.externalRamBytes() == 0 ? b.externalRamKind() : ByteSize.format(b.externalRamBytes()) + " " + b.externalRamKind()));
        line(sb, b, Board.Figure.CPU, "cpu", b.cpu().label());
        line(sb, b, Board.Figure.KERNELS, "kernels", b.kernels());
        sb.append(String.format("  %-13s %d bytes (%d-bit)%n", "pointers", b.pointerBytes(), b.pointerBytes() * 8));
        sb.append(String.format("  --target %s budgets the %s%n", b.id(), b.budgetMemory()));
        return sb.toString();
    }

    private static void line(StringBuilder sb, Board b, Board.Figure f, String label, String value) {
        sb.append(String.format("  %-13s %s%n  %-13s source: %s%s%n", label, value, "", b.sources().get(f),
                b.unchecked().contains(f) ? " [not checked against the source]" : ""));
    }

    public static Map<String, Object> json(List<Board> boards) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("schema", Json.SCHEMA);
        List<Map<String, Object>> list = new ArrayList<>();
        for (Board b : boards) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", b.id());
            m.put("name", b.name());
            m.put("mcu", b.mcu());
            m.put("core", b.cpu().core());
            m.put("clock_mhz", b.cpu().clockMhz());
            m.put("dsp", b.cpu().dsp());
            m.put("mve", b.cpu().mve());
            m.put("sram_bytes", b.sramBytes());
            m.put("largest_bank_bytes", b.largestBankBytes());
            m.put("bank_note", b.bankNote());
            m.put("flash_bytes", b.flashBytes());
            m.put("external_flash_bytes", b.externalFlashBytes());
            m.put("external_ram_bytes", b.externalRamBytes());
            m.put("external_ram_kind", b.externalRamKind());
            m.put("kernels", b.kernels());
            m.put("pointer_bytes", b.pointerBytes());
            Map<String, Object> sources = new LinkedHashMap<>();
            for (Board.Figure f : Board.Figure.values()) sources.put(f.key(), b.sources().get(f));
            m.put("sources", sources);
            m.put("unchecked", b.unchecked().stream().sorted().map(Board.Figure::key).toList());
            list.add(m);
        }
        doc.put("boards", list);
        return doc;
    }
}
