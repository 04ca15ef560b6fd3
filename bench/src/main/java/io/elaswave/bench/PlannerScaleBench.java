package io.elaswave.bench;

import io.elaswave.planner.Layout;
import io.elaswave.planner.ModelProfile;
import io.elaswave.planner.PlanRequest;
import io.elaswave.planner.RankId;
import io.elaswave.planner.RankInfo;
import io.elaswave.planner.StaticPlanner;
import io.elaswave.planner.recovery.Measurements;
import io.elaswave.planner.recovery.MembershipEvent;
import io.elaswave.planner.recovery.RecoveryPlan;
import io.elaswave.planner.recovery.RecoveryPolicies;
import io.elaswave.planner.recovery.RecoveryPolicy;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What one re-plan costs the recovery path at scale: a recovery policy's plan for the loss of one
 * node (8 accelerators, all of one pipeline's stages 8..15 or spread, as the ids fall) of a
 * dp × 16 job of a Llama-3-8B-like shape (embedding, 32 blocks of 218 M parameters, head; ZeRO
 * blocks of about a layer over dp, so each owner keeps one block of each of its layers), from the
 * committed layout to the next one with its transfer plan, on one thread. {@code ranks} 1 024,
 * 16 384 and 100 000 are dp 64, 1 024 and 6 250 over pp 16, with G = 4·dp micro-batches.
 * Each call loses another node of the same committed layout (whose lookups a running job has
 * already indexed). The heap is fixed and touched up front: a growing heap's first touch of new
 * pages (kernel page faults, not planning) made iterations of the same plan take 95 to 550 ms.
 *
 * <p>{@code java -jar bench/target/benchmarks.jar PlannerScaleBench -f 1 -wi 3 -i 5 -w 2s -r 2s}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms6g", "-Xmx6g", "-XX:+AlwaysPreTouch", "-XX:+UseParallelGC"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class PlannerScaleBench {
  static final int PP = 16;
  static final int PER_NODE = 8;

  @Param({"1024", "16384", "100000"})
  public int ranks;

  @Param({"elaswave", "torchft", "recycle", "restart"})
  public String policy;

  private Layout committed;
  private Measurements measured;
  private RecoveryPolicy recovery;
  private int nodes;
  private final List<Set<RankId>> onNode = new ArrayList<>(); // a node's ranks, found before the clock runs
  private int next;

  @Setup
  public void setUp() {
    int dp = ranks / PP;
    ModelProfile model = llama3Like(dp);
    List<RankInfo> infos = new ArrayList<>();
    for (int r = 0; r < dp * PP; r++) {
      infos.add(RankInfo.of(r, "node-" + r / PER_NODE));
    }
    nodes = (dp * PP + PER_NODE - 1) / PER_NODE;
    recovery = RecoveryPolicies.named(policy);
    Layout initial = StaticPlanner.plan(PlanRequest.of(infos, dp, PP, 4 * dp, model));
    if (recovery.standbyPerNode() > 0) { // ReCycle's stand-ins: one more rank on every node
      List<RankInfo> standby = new ArrayList<>();
      for (int n = 0; n < nodes; n++) {
        standby.add(RankInfo.of(dp * PP + n, "node-" + n));
      }
      initial = initial.withStandby(standby);
    }
    committed = initial;
    measured = Measurements.estimated(model);
    for (int n = 0; n < nodes; n++) {
      onNode.add(new HashSet<>());
    }
    committed.allRanks().forEach(i -> onNode.get(Integer.parseInt(i.node().name().substring(5))).add(i.rank()));
  }

  /** Embedding, 32 blocks and a head; costs in units of a block's forward and backward. */
  static ModelProfile llama3Like(int dp) {
    int layers = 34;
    double[] costs = new double[layers];
    long[] memory = new long[layers];
    int[] sizes = new int[layers];
    for (int l = 0; l < layers; l++) {
      boolean edge = l == 0 || l == layers - 1;
      sizes[l] = edge ? 525_336_576 : 218_112_000; // 128 256 × 4 096 vocabulary rows; one block
      costs[l] = l == 0 ? 0.01 : l == layers - 1 ? 2.4 : 1.0; // a lookup; the head's matmul against a block's
      memory[l] = 16L * sizes[l] / dp; // bf16 weights and gradients, fp32 moments and master, ZeRO-1
    }
    return new ModelProfile(costs, memory, sizes, Math.max(1, 218_112_000 / dp));
  }

  @Benchmark
  public RecoveryPlan lossOfANode() {
    Set<RankId> lost = onNode.get(1 + next++ % (nodes - 1)); // never the scheduler's own node-0
    return recovery.plan(committed, new MembershipEvent.RanksLost(lost, committed.epoch() + 1), measured);
  }
}
