package io.elaswave.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.elaswave.app.launch.BudgetGroups;
import io.elaswave.app.launch.CpuGroups;
import io.elaswave.app.launch.NetworkLab;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fail-slow end to end: three node JVMs on CPU budgets (emulated accelerators), one slowed to a
 * quarter of its budget mid-run; the scheduler measures it, re-plans its micro-batches away
 * (event {@code replanned}, cause {@code slow}, naming it), every digest stays the reference trainer's, and
 * no control group outlives the run. Needs root (control groups).
 */
class SlowNodeRunTest {
  @TempDir Path dir;

  @Test
  void aSlowNodeIsMeasuredAndPlannedAroundWithEveryDigestBitwise() throws IOException {
    assertSlowNodePlannedAround(new String[] {"--nodes", "3", "--dp", "3", "--fault", "slow:node-2@4=0.1"},
        new String[] {"--model", "tiny", "--micro-batches", "12", "--steps", "16"}, "node-2");
  }

  /** In a pipeline the slow stage gives layers away: state moves between live ranks, bitwise. */
  @Test
  void aSlowPipelineStageGivesLayersAwayWithEveryDigestBitwise() throws IOException {
    assertSlowNodePlannedAround(new String[] {"--nodes", "4", "--dp", "2", "--pp", "2", "--fault",
        "slow:node-1@4=0.08"}, new String[] {"--model", "tiny", "--micro-batches", "8", "--steps", "16"}, "node-1");
  }

  private void assertSlowNodePlannedAround(String[] shape, String[] job, String slowNode) throws IOException {
    Assumptions.assumeTrue(NetworkLab.isRoot() && BudgetGroups.available(), "needs root for control groups");
    Path runtime = dir.resolve("runtime.jsonl");
    Path reference = dir.resolve("reference.jsonl");
    Cli.ok(concat(concat(new String[] {"train", "--node-cpus", "0.4", "--metrics", runtime.toString()}, shape), job));
    Cli.ok(concat(new String[] {"train", "--reference", "--metrics", reference.toString()}, job));

    assertEquals(Cli.digests(reference), Cli.digests(runtime), "placement changes time, never bits");
    // node-0 also hosts the scheduler, which shares its budget: on tiny it may measure slow too
    List<Map<String, String>> replans = Cli.metrics(runtime).stream()
        .filter(o -> "\"replanned\"".equals(o.get("event")) && o.get("nodes").contains(slowNode)).toList();
    assertTrue(!replans.isEmpty(), "no replanned event names " + slowNode + " in " + Cli.metrics(runtime));
    Map<String, String> first = replans.get(0);
    assertEquals("\"slow\"", first.get("cause"));
    assertTrue(Long.parseLong(first.get("step")) > 4, "re-planned only after the slowdown: " + first);
    Map<String, String> last = Cli.steps(runtime).get(Cli.steps(runtime).size() - 1);
    assertTrue(last.containsKey("kernelMillis"), "steps say where their time went: " + last);
    for (int r = 0; r < Integer.parseInt(shape[1]); r++) { // one rank per node
      assertTrue(last.containsKey("kernelMillis.r" + r), "and each rank's kernel time: " + last);
    }
    assertEquals(List.of(), CpuGroups.detect().names("elaswave-"), "control groups left behind");
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
