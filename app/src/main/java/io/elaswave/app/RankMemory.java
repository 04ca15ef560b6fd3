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

  /** The default for a run: local node JVMs' heap, or this JVM's (in-process ranks, or a cluster of the same jar). */
  static long defaultFor(RuntimeOptions o) {
    long heap = o.local() && o.nodes() > 1 ? ByteSize.parse(LoopbackSettings.DEFAULT_MAX_HEAP) : Runtime.getRuntime().maxMemory();
    int ranksInJvm = o.nodes() == 1 && o.local() ? o.dp() * o.pp() : o.ranksPerNode();
    return fromHeap(heap, ranksInJvm);
  }
}
