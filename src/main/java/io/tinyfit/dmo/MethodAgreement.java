package io.tinyfit.dmo;

import io.tinyfit.model.Graph;
import io.tinyfit.verify.TraceMethod;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * How the three DMO methods agree, per kernel kind: the analytical bound against the trace (equal, or how much
 * larger), and the black-box search against the trace (equal, or lower because a clobbered byte happened to hold
 * the value it would have had). Renders a Markdown table.
 */
public final class MethodAgreement {
    private MethodAgreement() {}

    /** One (operator, I, O) question answered by all three methods, in bytes. */
    public record Sample(String kind, long outBytes, long analytical, boolean derived, long trace, long search) {
        public long slack() { return analytical - trace; }
    }

    /**
     * Per-kind aggregate; slacks are analytical − trace, in bytes and in % of bytes(O). {@code traceOverlapping}
     * counts the cases whose exact bound allows some overlap without being in place (0 &lt; trace &lt; bytes(O)),
     * the ones where agreement says most.
     */
    public record Row(String kind, int cases, int derived, int traceOverlapping, int analyticalEqualsTrace, long maxSlack, double meanSlack,
                      double maxSlackPercent, double meanSlackPercent, int searchEqualsTrace, int searchBelowTrace) {}

    /** Runs the three methods on one operand pair; the search probes every byte. */
    public static Sample measure(Graph g, int opIndex, int inputIndex, int outputIndex) {
        AnalyticalMethod.Bound a = AnalyticalMethod.of(g, opIndex, inputIndex, outputIndex);
        long trace = TraceMethod.minDelta(g, opIndex, inputIndex, outputIndex);
        long search = SearchMethod.minDelta(g, opIndex, inputIndex, outputIndex, 1);
        long outBytes = g.tensor(g.ops().get(opIndex).output(outputIndex)).bytes();
        return new Sample(g.ops().get(opIndex).kind(), outBytes, a.minDeltaBytes(), a.derived(), trace, search);
    }

    public static List<Row> aggregate(List<Sample> samples) {
        Map<String, List<Sample>> byKind = new TreeMap<>();
        for (Sample s : samples) byKind.computeIfAbsent(s.kind(), k -> new ArrayList<>()).add(s);
        List<Row> rows = new ArrayList<>();
        byKind.forEach((kind, list) -> {
            int derived = 0, overlapping = 0, equal = 0, searchEqual = 0, searchBelow = 0;
            long maxSlack = 0, slackSum = 0;
            double maxPct = 0, pctSum = 0;
            for (Sample s : list) {
                if (s.derived()) derived++;
                if (s.trace() > 0 && s.trace() < s.outBytes()) overlapping++;
                if (s.slack() == 0) equal++;
                if (s.search() == s.trace()) searchEqual++;
                if (s.search() < s.trace()) searchBelow++;
                double pct = s.outBytes() == 0 ? 0 : 100.0 * s.slack() / s.outBytes();
                maxSlack = Math.max(maxSlack, s.slack());
                maxPct = Math.max(maxPct, pct);
                slackSum += s.slack();
                pctSum += pct;
            }
            int n = list.size();
            rows.add(new Row(kind, n, derived, overlapping, equal, maxSlack, (double) slackSum / n, maxPct, pctSum / n, searchEqual, searchBelow));
        });
        return rows;
    }

    public static String markdown(List<Row> rows) {
        StringBuilder b = new StringBuilder();
        b.append("| kind | cases | derived | 0 < trace < bytes(O) | analytical = trace | max slack B | mean slack B | max slack % | mean slack % | search = trace | search < trace |\n");
        b.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (Row r : rows) {
            b.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %d | %d | %.1f | %.1f | %.1f | %d | %d |%n", r.kind(), r.cases(), r.derived(),
                    r.traceOverlapping(), r.analyticalEqualsTrace(), r.maxSlack(), r.meanSlack(), r.maxSlackPercent(), r.meanSlackPercent(),
                    r.searchEqualsTrace(), r.searchBelowTrace()));
        }
        return b.toString();
    }
}
