package io.elaswave.app;

import java.util.List;
import java.util.Locale;

/**
 * What one run of one policy measured in a scenario: throughput before and after the change,
 * the recovery, the steps redone, the wall time the steps took, the loss deviation from the
 * reference over the steps after the fault and whether every step's bits equal the reference's,
 * CPU seconds per token committed, and the layout the run ended under (after the fault's
 * recovery, any migration, join or re-plan for speed).
 */
record PolicyOutcome(String policy, int repeat, double tokensPerSecBefore, double tokensPerSecAfter,
    double mttrMillis, long stepsRedone, double stepsSeconds, double meanLossDeviation, double maxLossDeviation,
    boolean bitwise, double cpuSecondsPerToken, String layoutAfter) {

  /** The outcome of {@code run} against the reference's per-step losses and digests (index = step). */
  static PolicyOutcome of(String policy, int repeat, PolicyScenario sc, BudgetedRun run, List<Float> refLoss,
      List<Long> refDigest) {
    // the fault's recovery (a kill's, or a restart's); a speed re-plan only where there is none (slow)
    double mttr = Double.NaN;
    double replan = Double.NaN;
    long redone = 0;
    String layout = "";
    for (RunEvent e : run.allEvents()) {
      layout = e instanceof RunEvent.Recovered r ? r.layout() : e instanceof RunEvent.Restarted r ? r.layout()
          : e instanceof RunEvent.Replanned r ? r.layout() : e instanceof RunEvent.NodeJoined r ? r.layout() : layout;
      if (e instanceof RunEvent.Recovered r && Double.isNaN(mttr)) {
        mttr = r.mttrMillis();
      } else if (e instanceof RunEvent.Restarted r) {
        mttr = Double.isNaN(mttr) ? r.mttrMillis() : mttr;
        redone += r.stepsRedone();
      } else if (e instanceof RunEvent.Replanned r && r.step() >= sc.faultAt() && Double.isNaN(replan)) {
        replan = r.reconfigureMillis();
      }
    }
    mttr = Double.isNaN(mttr) ? replan : mttr;
    double sum = 0;
    double max = 0;
    int n = 0;
    boolean bitwise = true;
    for (int s = 1; s <= sc.steps(); s++) {
      bitwise &= run.digests.get(s).equals(refDigest.get(s));
      if (s >= sc.faultAt()) {
        double d = Math.abs(run.losses.get(s) - refLoss.get(s));
        sum += d;
        max = Math.max(max, d);
        n++;
      }
    }
    double steps = run.commits.stream().mapToDouble(BudgetedRun.Commit::seconds).sum();
    return new PolicyOutcome(policy, repeat, run.tokensPerSecond(sc.beforeFrom(), sc.faultAt() - 1),
        run.tokensPerSecond(sc.afterFrom(), sc.steps()), mttr, redone, steps, sum / n, max, bitwise,
        run.cpuSeconds / run.tokensCommitted(), layout);
  }

  double afterOverBefore() {
    return tokensPerSecAfter / tokensPerSecBefore;
  }

  String json() {
    return String.format(Locale.ROOT, "{\"policy\": \"%s\", \"repeat\": %d, \"tokensPerSecBefore\": %.1f,"
        + " \"tokensPerSecAfter\": %.1f, \"afterOverBefore\": %.3f, \"mttrMillis\": %s, \"stepsRedone\": %d,"
        + " \"stepsSeconds\": %.2f, \"meanLossDeviation\": %.6g, \"maxLossDeviation\": %.6g, \"bitwise\": %s,"
        + " \"cpuSecondsPerToken\": %.3g, \"layoutAfter\": \"%s\"}", policy, repeat, tokensPerSecBefore,
        tokensPerSecAfter, afterOverBefore(), Double.isNaN(mttrMillis) ? "null" : String.format(Locale.ROOT, "%.1f",
            mttrMillis), stepsRedone, stepsSeconds, meanLossDeviation, maxLossDeviation, bitwise, cpuSecondsPerToken,
        layoutAfter);
  }
}
