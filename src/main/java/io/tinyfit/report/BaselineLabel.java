package io.tinyfit.report;

import io.tinyfit.plan.Plan;
import io.tinyfit.plan.TflmBaseline;
import io.tinyfit.verify.FilePlan;

/**
 * How reports name a baseline: TFLM's own online plan, or the offline plan the model file carries, which is a
 * baseline only as far as it was verified.
 */
final class BaselineLabel {
    private BaselineLabel() {}

    /** {@code online} for TFLM's own plan; otherwise what the file's plan is and whether it verified. */
    static String of(Plan baseline, String online) {
        String planner = baseline.planner();
        if (planner.endsWith(FilePlan.UNVERIFIED)) return "the file's offline plan, UNVERIFIED: used because of --trust-plan";
        if (planner.endsWith(TflmBaseline.OFFLINE_PLAN)) return "the file's offline plan, verified statically";
        return online;
    }
}
