package io.elaswave.sim;

/**
 * The machines and the fixed costs of recovery, all assumptions (defaults in {@link #H100}):
 * accelerators per node and their effective FLOP/s (peak × MFU), each node's network bandwidth
 * (bytes/s, shared by its accelerators) and link latency; how long a death takes to be seen
 * (a process that dies closes its sockets: the lifeline), what re-wiring the communicators costs
 * after a live re-plan, what a checkpoint restart costs (processes, loading state), and how often
 * and at what cost a checkpoint is written (every policy writes them; only {@code restart} reads
 * them back).
 */
public record Hardware(int acceleratorsPerNode, double flops, double nodeBandwidth, double latencySeconds,
    double detectSeconds, double reconfigureSeconds, double restartSeconds, int checkpointEvery,
    double checkpointSeconds) {
  public Hardware {
    if (acceleratorsPerNode < 1 || !(flops > 0) || !(nodeBandwidth > 0) || latencySeconds < 0 || detectSeconds < 0
        || reconfigureSeconds < 0 || restartSeconds < 0 || checkpointEvery < 1 || checkpointSeconds < 0) {
      throw new IllegalArgumentException("hardware figures must be positive: " + this);
    }
  }

  /**
   * 8 H100s a node at 40% of 989 TFLOP/s, 8 × 400 Gb/s a node (50 GB/s each), 10 µs; death seen in
   * 20 ms (our lifeline on loopback), communicators re-wired in 0.3 s (ElasWave reports
   * 0.15–0.37 s), a restart of 10 min (process start, NCCL init, checkpoint load), a checkpoint
   * every 100 steps costing 5 s of training.
   */
  public static final Hardware H100 = new Hardware(8, 0.40 * 989e12, 8 * 50e9, 10e-6, 0.020, 0.3, 600, 100, 5);

  /** Seconds for one micro-batch of one block on one accelerator. */
  public double blockSeconds(ModelPreset model) {
    return model.blockFlops() / flops;
  }
}
