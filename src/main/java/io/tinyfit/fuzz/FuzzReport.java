package io.tinyfit.fuzz;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a fuzz run found: per mutation kind and stage how many cases succeeded, were refused with a documented
 * exception, failed with an undocumented one, or ran past the time bound (processor time of the stage); the
 * slowest stage by processor and wall-clock time; the sites of the failures; and the summary line
 * {@code fuzz: N cases, clean C, undocumented U, past time bound T}.
 */
public final class FuzzReport {
    private static final int SHOWN_PROBLEMS = 20;

    private final long boundNanos;
    private final Map<MutationKind, int[][]> counts = new EnumMap<>(MutationKind.class);
    private final Map<MutationKind, Integer> casesByKind = new EnumMap<>(MutationKind.class);
    private final long[] slowestCpu = new long[Stage.values().length];
    private final long[] slowestWall = new long[Stage.values().length];
    private final Map<String, Integer> sites = new TreeMap<>();
    private final List<CaseResult> problems = new ArrayList<>();
    private int cases, clean, undocumented, pastBound;

    public FuzzReport(long boundNanos) { this.boundNanos = boundNanos; }

    /** Column of a stage's counts: OK, REFUSED, UNDOCUMENTED, then past the bound. */
    private static final int OK = 0, REFUSED = 1, UNDOCUMENTED = 2, SLOW = 3;

    public synchronized void add(CaseResult r) {
        cases++;
        casesByKind.merge(r.mutation().kind(), 1, Integer::sum);
        int[][] c = counts.computeIfAbsent(r.mutation().kind(), k -> new int[Stage.values().length][4]);
        for (Outcome o : r.outcomes()) {
            int s = o.stage().ordinal();
            slowestCpu[s] = Math.max(slowestCpu[s], o.cpuNanos());
            slowestWall[s] = Math.max(slowestWall[s], o.nanos());
            switch (o.status()) {
                case OK -> c[s][OK]++;
                case REFUSED -> c[s][REFUSED]++;
                case UNDOCUMENTED -> {
                    c[s][UNDOCUMENTED]++;
                    sites.merge(o.stage().label() + ": " + site(o.detail()), 1, Integer::sum);
                }
                default -> { }
            }
            if (o.pastBound(boundNanos)) c[s][SLOW]++;
        }
        if (r.clean()) clean++;
        if (r.undocumented()) undocumented++;
        if (r.pastBound()) pastBound++;
        if (!r.clean() && problems.size() < SHOWN_PROBLEMS) problems.add(r);
    }

    public synchronized int cases() { return cases; }
    public synchronized int clean() { return clean; }
    public synchronized int undocumented() { return undocumented; }
    public synchronized int pastBound() { return pastBound; }

    /** The first cases that were not clean, for a test's failure message or the benchmark's listing. */
    public synchronized List<CaseResult> problems() { return List.copyOf(problems); }

    /** Undocumented failures by stage and site (exception class and where in tinyfit it was thrown). */
    public synchronized Map<String, Integer> sites() { return Map.copyOf(sites); }

    /** {@code fuzz: N cases, clean C, undocumented U, past time bound T}. */
    public synchronized String summary() {
        return "fuzz: " + cases + " cases, clean " + clean + ", undocumented " + undocumented + ", past time bound " + pastBound;
    }

    /** The per-kind × stage table: for each stage, ok / refused / undocumented / past the bound. */
    public synchronized String table() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-34s %6s", "mutation kind", "cases"));
        for (Stage s : Stage.values()) sb.append(String.format(Locale.ROOT, "  %-22s", s.label() + " ok/ref/und/slow"));
        sb.append('\n');
        int[][] total = new int[Stage.values().length][4];
        for (MutationKind k : MutationKind.values()) {
            int[][] c = counts.get(k);
            if (c == null) continue;
            sb.append(String.format(Locale.ROOT, "%-34s %6d", k.label(), casesByKind.get(k)));
            for (int s = 0; s < c.length; s++) {
                sb.append(String.format(Locale.ROOT, "  %-22s", c[s][OK] + "/" + c[s][REFUSED] + "/" + c[s][UNDOCUMENTED] + "/" + c[s][SLOW]));
                for (int j = 0; j < 4; j++) total[s][j] += c[s][j];
            }
            sb.append('\n');
        }
        sb.append(String.format(Locale.ROOT, "%-34s %6d", "all", cases));
        for (int[] t : total) sb.append(String.format(Locale.ROOT, "  %-22s", t[OK] + "/" + t[REFUSED] + "/" + t[UNDOCUMENTED] + "/" + t[SLOW]));
        sb.append('\n');
        sb.append(String.format(Locale.ROOT, "%-34s %6s", "slowest, processor s (wall s)", ""));
        for (int s = 0; s < slowestCpu.length; s++) {
            sb.append(String.format(Locale.ROOT, "  %-22s", String.format(Locale.ROOT, "%.2f (%.2f)", slowestCpu[s] / 1e9, slowestWall[s] / 1e9)));
        }
        sb.append('\n');
        return sb.toString();
    }

    /** {@code IllegalStateException in plan.BufferRequests.of} out of a failure's detail. */
    private static String site(String detail) {
        if (detail == null) return "?";
        int colon = detail.indexOf(": ");
        return colon < 0 ? detail : detail.substring(0, colon);
    }
}
