package io.tinyfit.targets;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.tinyfit.model.TinyfitException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The board catalogue, read once from {@code boards.json} beside this class. The file is data a person edits, so
 * it is checked as it is read: every field present, sizes that parse, a source for every figure, a known kernel
 * library; a catalogue that breaks these is a bug in tinyfit, not bad user input.
 */
public final class Boards {
    /** The kernel libraries a board may name (those the {@code kernels} figure of SCHEMA.md knows). */
    public static final Set<String> KERNEL_LIBRARIES = Set.of("reference", "cmsis-nn", "esp-nn");

    private static final String RESOURCE = "boards.json";
    private static final List<Board> ALL = load();

    private Boards() {}

    /** The file as written; field names follow it (snake_case). */
    private record Catalogue(String about, List<Entry> boards) {}

    private record Entry(String id, String name, String mcu, String core, Integer clockMhz, Boolean dsp, Boolean mve,
                         String sram, String largestBank, String bankNote, String flash, String externalFlash, String externalRam,
                         String externalRamKind, String kernels, Integer pointerBytes, Map<String, String> sources, List<String> unchecked) {}

    /** Every board, in catalogue order. */
    public static List<Board> all() { return ALL; }

    public static Optional<Board> byId(String id) {
        return ALL.stream().filter(b -> b.id().equalsIgnoreCase(id.strip())).findFirst();
    }

    /** The board {@code id} names (case-insensitive), or an error naming {@code option} and listing the closest ids. */
    public static Board find(String id, String option) {
        return byId(id).orElseThrow(() -> new TinyfitException(option + ": no board '" + id + "' in the catalogue"
                + closeMatches(id).map(m -> "; did you mean " + m + "?").orElse("") + " ('tinyfit targets' lists all " + ALL.size() + ")"));
    }

    /** Up to five ids that contain the query (or that it contains), or are within a few edits of it. */
    static Optional<String> closeMatches(String query) {
        String q = squash(query);
        List<Board> hits = new ArrayList<>();
        for (Board b : ALL) {
            String id = squash(b.id());
            String name = squash(b.name() + b.mcu());
            if (!q.isEmpty() && (id.contains(q) || q.contains(id) || name.contains(q))) hits.add(b);
        }
        if (hits.isEmpty()) {
            ALL.stream().filter(b -> edits(q, squash(b.id())) <= Math.max(2, q.length() / 3))
                    .sorted(Comparator.comparingInt(b -> edits(q, squash(b.id())))).forEach(hits::add);
        }
        return hits.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", hits.stream().limit(5).map(Board::id).toList()));
    }

    /** Lower case without separators, so "Nano 33", "nano-33" and "NANO33" compare equal. */
    private static String squash(String s) {
        return s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }

    private static int edits(String a, String b) {
        int[] prev = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            int[] cur = new int[b.length() + 1];
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            }
            prev = cur;
        }
        return prev[b.length()];
    }

    private static List<Board> load() {
        ObjectMapper mapper = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        try (InputStream in = Boards.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException("the board catalogue " + RESOURCE + " is missing from the jar");
            Catalogue c = mapper.readValue(in, Catalogue.class);
            List<Board> boards = new ArrayList<>();
            Set<String> ids = new LinkedHashSet<>();
            for (Entry e : c.boards()) {
                Board b = board(e);
                if (!ids.add(b.id().toLowerCase(Locale.ROOT))) throw new IllegalStateException(RESOURCE + ": board id '" + b.id() + "' appears twice");
                boards.add(b);
            }
            return List.copyOf(boards);
        } catch (IOException e) {
            throw new UncheckedIOException(RESOURCE + ": " + e.getMessage(), e);
        }
    }

    private static Board board(Entry e) {
        String where = RESOURCE + ", board " + e.id();
        for (Object field : new Object[] {e.id(), e.name(), e.mcu(), e.core(), e.clockMhz(), e.dsp(), e.mve(), e.sram(), e.largestBank(), e.bankNote(),
                e.flash(), e.externalFlash(), e.externalRam(), e.externalRamKind(), e.kernels(), e.pointerBytes(), e.sources(), e.unchecked()}) {
            if (field == null) throw new IllegalStateException(where + ": a field is missing");
        }
        if (!KERNEL_LIBRARIES.contains(e.kernels())) throw new IllegalStateException(where + ": unknown kernel library " + e.kernels());
        if (e.pointerBytes() != 4 && e.pointerBytes() != 8) throw new IllegalStateException(where + ": pointer_bytes must be 4 or 8");
        Map<Board.Figure, String> sources = new EnumMap<>(Board.Figure.class);
        Set<Board.Figure> unchecked = EnumSet.noneOf(Board.Figure.class);
        for (Board.Figure f : Board.Figure.values()) {
            String s = e.sources().get(f.key());
            if (s == null || s.isBlank()) throw new IllegalStateException(where + ": no source for " + f.key());
            sources.put(f, s);
            if (e.unchecked().contains(f.key())) unchecked.add(f);
        }
        if (sources.size() != e.sources().size() || unchecked.size() != e.unchecked().size()) {
            throw new IllegalStateException(where + ": sources and unchecked may only name " + java.util.Arrays.toString(Board.Figure.values()));
        }
        long sram = size(e.sram(), where);
        long bank = size(e.largestBank(), where);
        if (bank <= 0 || bank > sram) throw new IllegalStateException(where + ": largest_bank must be between 1 byte and the SRAM");
        return new Board(e.id(), e.name(), e.mcu(), new Board.Cpu(e.core(), e.clockMhz(), e.dsp(), e.mve()), sram, bank, e.bankNote(),
                size(e.flash(), where), size(e.externalFlash(), where), size(e.externalRam(), where), e.externalRamKind(), e.kernels(),
                e.pointerBytes(), sources, unchecked);
    }

    private static long size(String text, String where) {
        try {
            return ByteSize.parse(text);
        } catch (IllegalArgumentException ex) {
            throw new IllegalStateException(where + ": " + ex.getMessage());
        }
    }
}
