package io.elaswave.engine.model;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * A model's pool of activation, gradient and scratch arrays, by exact length. Every micro-batch
 * asks for the same lengths, so after the first step the pool holds as many of each as are ever
 * alive at once (one micro-batch's forwards in the reference trainer, the 1F1B window in a
 * pipeline stage) and a steady-state step allocates next to nothing.
 *
 * <p>Only arrays the caller owns outright are given back: a layer returns what it took once its
 * backward no longer needs it; an array that may leave the model (a stage's output, a message's
 * payload) is simply never given back and becomes garbage. A forward that is abandoned (a step
 * redone after a failure) only costs fresh arrays later: nothing is tracked while lent. One
 * model, so one arena, is used by one thread at a time (a rank is an actor).
 */
public final class Arena {
  private final Map<Integer, ArrayDeque<float[]>> floats = new HashMap<>();
  private final Map<Integer, ArrayDeque<boolean[]>> flags = new HashMap<>();
  private long lentBytes; // every array handed out, fresh or pooled
  private long givenBytes; // every array given back

  /** An array of n floats whose contents are undefined: the caller overwrites every element. */
  public float[] floats(int n) {
    ArrayDeque<float[]> free = floats.get(n);
    float[] a = free == null ? null : free.poll();
    lentBytes += 4L * n;
    return a != null ? a : new float[n];
  }

  /** An array of n zeros. */
  public float[] zeros(int n) {
    float[] a = floats(n);
    Arrays.fill(a, 0f);
    return a;
  }

  /** An array of n flags whose contents are undefined. */
  public boolean[] flags(int n) {
    ArrayDeque<boolean[]> free = flags.get(n);
    boolean[] a = free == null ? null : free.poll();
    lentBytes += n;
    return a != null ? a : new boolean[n];
  }

  /** Gives arrays back; the caller must hold no other reference that is still used. */
  public void give(float[]... arrays) {
    for (float[] a : arrays) {
      if (a != null) {
        givenBytes += 4L * a.length;
        floats.computeIfAbsent(a.length, k -> new ArrayDeque<>()).push(a);
      }
    }
  }

  /** Gives a flag array back. */
  public void give(boolean[] a) {
    if (a != null) {
      givenBytes += a.length;
      flags.computeIfAbsent(a.length, k -> new ArrayDeque<>()).push(a);
    }
  }

  /**
   * Bytes handed out and not given back since the arena was made. Its growth across a layer's
   * forward is what that forward keeps (its saved tensors and its output): the activation memory
   * of one micro-batch, counted from the arrays themselves, so the same in every JVM (a count of
   * allocated bytes is not: the pool makes it ~0 once warm, and a JIT that boxes vectors makes it
   * gigabytes).
   */
  public long heldBytes() {
    return lentBytes - givenBytes;
  }

  /** Bytes held free in the pool (for tests and the step bench). */
  public long pooledBytes() {
    long n = 0;
    for (ArrayDeque<float[]> q : floats.values()) {
      for (float[] a : q) {
        n += 4L * a.length;
      }
    }
    for (ArrayDeque<boolean[]> q : flags.values()) {
      for (boolean[] a : q) {
        n += a.length;
      }
    }
    return n;
  }
}
