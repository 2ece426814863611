package io.tinyfit.dmo;

import io.tinyfit.testing.RandomOps;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The relations the three DMO methods must satisfy on every operand pair, checked in one place for the
 * properties and the agreement corpus:
 * <ul>
 *   <li>the analytical bound is never below the trace (never less safe);</li>
 *   <li>the black-box search cannot refute the analytical bound, nor the trace;</li>
 *   <li>the search's bisection never ends above the trace (the trace is exact, so every larger delta is safe);</li>
 *   <li>where the analytical bound claims an exact closed form it equals the trace.</li>
 * </ul>
 */
final class DmoInvariants {
    private DmoInvariants() {}

    static MethodAgreement.Sample check(RandomOps.OpCase c, int inputIndex) {
        MethodAgreement.Sample s = MethodAgreement.measure(c.graph(), 0, inputIndex, 0);
        AnalyticalMethod.Bound bound = AnalyticalMethod.of(c.graph(), 0, inputIndex, 0);
        String what = c.label() + " operand " + inputIndex + ": " + bound.formula();
        assertThat(s.analytical()).as("analytical >= trace for " + what).isGreaterThanOrEqualTo(s.trace());
        assertThat(SearchMethod.refutes(c.graph(), 0, inputIndex, 0, s.analytical())).as("search refutes analytical for " + what).isFalse();
        if (traceIsInputIndependent(c, inputIndex)) {
            assertThat(SearchMethod.refutes(c.graph(), 0, inputIndex, 0, s.trace())).as("search refutes trace for " + what).isFalse();
            assertThat(s.search()).as("search <= trace for " + what).isLessThanOrEqualTo(s.trace());
        }
        if (claimsExact(c, inputIndex, bound)) assertThat(s.analytical()).as("exact bound equals trace for " + what).isEqualTo(s.trace());
        return s;
    }

    /**
     * Every derived bound is exact except the memcpy ones (deliberately no overlap) and those whose trace depends
     * on the input values.
     */
    static boolean claimsExact(RandomOps.OpCase c, int inputIndex, AnalyticalMethod.Bound b) {
        return b.derived() && !b.formula().startsWith("memcpy") && traceIsInputIndependent(c, inputIndex);
    }

    /**
     * The trace is a bound for every input only when the access order ignores the values. PRELU reads its alpha
     * only for negative inputs, so a trace on one input may see fewer alpha reads than another input causes (the
     * search then refutes it on other data). That is why PRELU has no access-order descriptor and {@link Legality}
     * never overlaps it; only its analytical bound, which assumes every alpha read, is checked against the search.
     */
    static boolean traceIsInputIndependent(RandomOps.OpCase c, int inputIndex) {
        return !(c.kind().equals("PRELU") && inputIndex == 1);
    }
}
