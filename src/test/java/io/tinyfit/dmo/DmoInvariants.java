package io.tinyfit.dmo;

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
        assertThat(SearchMethod.refutes(c.graph(), 0, inputIndex, 0, s.trace())).as("search refutes trace for " + what).isFalse();
        assertThat(s.search()).as("search <= trace for " + what).isLessThanOrEqualTo(s.trace());
        if (claimsExact(c, inputIndex, bound)) assertThat(s.analytical()).as("exact bound equals trace for " + what).isEqualTo(s.trace());
        return s;
    }

    /**
     * Every derived bound is exact except the memcpy ones (deliberately no overlap) and PRELU's alpha, which
     * the kernel reads only for negative inputs (data-dependent, so the trace may see fewer reads).
     */
    static boolean claimsExact(RandomOps.OpCase c, int inputIndex, AnalyticalMethod.Bound b) {
        return b.derived() && !b.formula().startsWith("memcpy") && !(c.kind().equals("PRELU") && inputIndex == 1);
    }
}
