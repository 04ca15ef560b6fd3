package io.elaswave.app;

import io.elaswave.app.launch.ByteSize;
import io.elaswave.app.launch.LoopbackSettings;

/**
 * The bytes one rank may hold ({@code --rank-memory}): parameters, gradients, its optimizer
 * share and the activations of the micro-batches it keeps in flight. Every plan is made to fit
 * it, and a job no plan fits is refused before it starts. By default it comes from the heap
 * the ranks live in: {@link #HEAP_SHARE} of the heap divided among the ranks of one JVM. Local
 * node JVMs run a young generation of 5/8 of the heap, so long-lived state (parameters,
 * moments, the buddy's snapshot) has the old generation's 3/8; the ranks get most of that, the
 * rest holds the runtime (message buffers, the snapshots it keeps, the corpus).
 */
final class RankMemory {
  /** The part of a heap given to the ranks' own state by default. */
  static final double HEAP_SHARE = 0.3;

  private RankMemory() {}

  /** Reads {@code --rank-memory}: bytes as {@link ByteSize} takes them; a one-line refusal naming the flag. */
  static long parse(String text) {
    try {
      return ByteSize.parse(text);
    } catch (IllegalArgumentException e) {
      throw new InputException("--rank-memory '" + text + "': " + e.getMessage());
    }
  }

  /** The default: {@link #HEAP_SHARE} of {@code heapBytes} over {@code ranksInJvm}. */
  static long fromHeap(long heapBytes, int ranksInJvm) {
    return Math.max(1, (long) (HEAP_SHARE * heapBytes / Math.max(1, ranksInJvm)));
  }

  /**
   * The local node JVMs' heap when {@code --node-heap} is not given: room for the largest stage
   * of the best-fitting first plan, half again for the re-plans after a loss (a stage may take
   * a lost neighbour's layers), over {@link #HEAP_SHARE}; at least the default, at most an even
   * share of three quarters of this machine's memory. A run given {@code --rank-memory} keeps
   * the default heap (the cap is then the user's word).
   */
  static long autoHeap(RuntimeOptions o, io.elaswave.engine.train.TrainConfig config, int vocabSize) {
    long floor = ByteSize.parse(LoopbackSettings.DEFAULT_MAX_HEAP);
    if (!o.local() || o.nodes() < 2 || o.rankMemory() > 0) {
      return floor;
    }
    var model = config.modelConfig(vocabSize);
    int ranks = o.dp() * o.pp();
    long need;
    try {
      need = io.elaswave.planner.StaticPlanner.leastMemoryCap(new io.elaswave.planner.PlanRequest(
          io.elaswave.planner.RankInfo.packed(ranks, ranks, "any-node-"), o.dp(), o.pp(), config.microBatches(),
          io.elaswave.planner.ModelProfile.estimate(model, o.dp()), 1),
          io.elaswave.planner.CostModel.activationBytes(model, config.microBatchSize()), 1 << 20);
    } catch (IllegalArgumentException e) {
      return floor; // the shape cannot be laid out at all: JobCheck says why
    }
    long grain = 256L << 20;
    long wanted = ((long) (need * 1.5 * o.ranksPerNode() / HEAP_SHARE) + grain - 1) / grain * grain;
    long machine = physicalMemory() * 3 / 4 / (o.nodes() + o.joinAt().size());
    return Math.max(floor, Math.min(wanted, machine));
  }

  private static long physicalMemory() {
    var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getTotalMemorySize()
        : Runtime.getRuntime().maxMemory();
  }

  /** The default for a run: local node JVMs' heap, or this JVM's (in-process ranks, or a cluster of the same jar). */
  static long defaultFor(RuntimeOptions o) {
    long heap = o.local() && o.nodes() > 1 ? o.effectiveNodeHeap() : Runtime.getRuntime().maxMemory();
    int ranksInJvm = o.nodes() == 1 && o.local() ? o.dp() * o.pp() : o.ranksPerNode();
    return fromHeap(heap, ranksInJvm);
  }

  /** {@code --node-heap}, or the heap the job needs ({@link #autoHeap}), for local node JVMs. */
  static RuntimeOptions withNodeHeap(String nodeHeap, RuntimeOptions runtime,
      io.elaswave.engine.train.TrainConfig config, int vocabSize) {
    if (nodeHeap != null && (!runtime.local() || runtime.nodes() < 2)) {
      throw new InputException("--node-heap sizes the node JVMs started here: it needs --nodes 2 or more");
    }
    long heap;
    try {
      heap = nodeHeap != null ? io.elaswave.app.launch.ByteSize.parse(nodeHeap)
          : autoHeap(runtime, config, vocabSize);
    } catch (IllegalArgumentException e) {
      throw new InputException("--node-heap '" + nodeHeap + "': " + e.getMessage());
    }
    if (heap < (64L << 20)) {
      throw new InputException("--node-heap '" + nodeHeap + "': a node JVM needs at least 64m");
    }
    return runtime.withNodeHeap(heap);
  }
}
