package io.tinyfit.verify;

import io.tinyfit.model.Graph;
import io.tinyfit.plan.Plan;
import io.tinyfit.plan.TflmBaseline;
import io.tinyfit.tflite.OfflineMemoryAllocation;

import java.util.List;
import java.util.function.Consumer;

/**
 * The memory plan a model file carries (TFLM's {@code OfflineMemoryAllocation} metadata, written by tinyfit, by
 * Vela or by hand), checked by the static {@link PlanVerifier} before any command uses it: lifetimes derived from
 * the steps, no two live tensors sharing a byte, and input/output overlaps only at the safe delta the verifier
 * re-derives by tracing the kernel. TFLM itself trusts such a plan, and computes garbage from an unsafe one.
 */
public final class FilePlan {
    /** What the file's plan turned out to be. */
    public enum Status {
        /** The file carries no offline plan: TFLM plans it online. */
        NONE,
        /** The file's plan passed the verifier. */
        VERIFIED,
        /** The file's plan failed the verifier; it may only be used with {@code --trust-plan}. */
        UNSAFE
    }

    /** Marks the planner name of a file plan that failed verification and is used anyway. */
    public static final String UNVERIFIED = "+unverified";

    private FilePlan() {}

    /**
     * @param plan       TFLM's plan of the model: the file's offline plan honoured when it has one (its planner
     *                   name then ends in {@code +offline-plan}, and {@link #UNVERIFIED} when it is unsafe)
     * @param violations what the verifier found wrong with the file's plan (empty unless {@code UNSAFE})
     */
    public record Check(Plan plan, Status status, List<PlanVerifier.Violation> violations) {
        public Check {
            violations = List.copyOf(violations);
        }

        /** One line for the user: the file, the first problem (naming the two tensors and the step) and the remedy. */
        public UnsafePlanException refusal() {
            return new UnsafePlanException(plan.graph().source() + ": the file's offline memory plan (OfflineMemoryAllocation) is unsafe: "
                    + violations.get(0).message() + (violations.size() > 1 ? " (and " + (violations.size() - 1) + " more)" : "")
                    + "; use --trust-plan to run it anyway", violations);
        }

        /** The warning printed when an unsafe plan is used anyway. */
        public String warning() {
            return plan.graph().source() + ": warning: using the file's offline memory plan although it is unsafe (--trust-plan): "
                    + violations.get(0).message();
        }
    }

    /** TFLM's plan of {@code g}, and whether the plan the file carries (if any) is safe. */
    public static Check check(Graph g) {
        Plan p = TflmBaseline.plan(g);
        if (OfflineMemoryAllocation.read(g).isEmpty()) return new Check(p, Status.NONE, List.of());
        List<PlanVerifier.Violation> v = PlanVerifier.violations(p);
        if (v.isEmpty()) return new Check(p, Status.VERIFIED, v);
        return new Check(p.withBuffers(p.buffers(), p.arenaBytes(), p.planner() + UNVERIFIED), Status.UNSAFE, v);
    }

    /**
     * The plan TFLM would run for {@code g}. An unsafe file plan is refused ({@link UnsafePlanException}, exit
     * code 2 on the command line) unless {@code trust}, when it is returned after {@code warn} got the warning.
     */
    public static Plan require(Graph g, boolean trust, Consumer<String> warn) {
        Check c = check(g);
        if (c.status() != Status.UNSAFE) return c.plan();
        if (!trust) throw c.refusal();
        warn.accept(c.warning());
        return c.plan();
    }
}
