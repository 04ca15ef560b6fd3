package io.elaswave.engine.train;

/** Packs the vectors of a layer range into one flat vector and back (pure data movement). */
public final class LayerVectors {
  private LayerVectors() {}

  /** New zeroed vectors shaped like {@code like}, for layers [lo, hi) (others stay null). */
  public static float[][] zerosLike(float[][] like, int lo, int hi) {
    float[][] out = new float[like.length][];
    for (int l = lo; l < hi; l++) {
      out[l] = new float[like[l].length];
    }
    return out;
  }

  /** As {@link #zerosLike(float[][], int, int)}, the vectors taken from {@code arena}. */
  public static float[][] zerosLike(float[][] like, int lo, int hi, io.elaswave.engine.model.Arena arena) {
    float[][] out = new float[like.length][];
    for (int l = lo; l < hi; l++) {
      out[l] = arena.zeros(like[l].length);
    }
    return out;
  }

  /** The concatenation of vectors[lo..hi) in an array from {@code arena}; the parts go back to it. */
  public static float[] concatAndGive(float[][] vectors, int lo, int hi, io.elaswave.engine.model.Arena arena) {
    int n = 0;
    for (int l = lo; l < hi; l++) {
      n += vectors[l].length;
    }
    float[] out = arena.floats(n);
    int at = 0;
    for (int l = lo; l < hi; l++) {
      System.arraycopy(vectors[l], 0, out, at, vectors[l].length);
      at += vectors[l].length;
      arena.give(vectors[l]);
    }
    return out;
  }

  /** The concatenation of vectors[lo..hi). */
  public static float[] concat(float[][] vectors, int lo, int hi) {
    int n = 0;
    for (int l = lo; l < hi; l++) {
      n += vectors[l].length;
    }
    float[] out = new float[n];
    int at = 0;
    for (int l = lo; l < hi; l++) {
      System.arraycopy(vectors[l], 0, out, at, vectors[l].length);
      at += vectors[l].length;
    }
    return out;
  }

  /** Splits a concatenation back into vectors shaped like like[lo..hi). */
  public static float[][] split(float[] flat, float[][] like, int lo, int hi) {
    float[][] out = new float[like.length][];
    int at = 0;
    for (int l = lo; l < hi; l++) {
      out[l] = new float[like[l].length];
      System.arraycopy(flat, at, out[l], 0, out[l].length);
      at += out[l].length;
    }
    if (at != flat.length) {
      throw new IllegalArgumentException("flat vector has " + flat.length + " elements, layers need " + at);
    }
    return out;
  }
}
