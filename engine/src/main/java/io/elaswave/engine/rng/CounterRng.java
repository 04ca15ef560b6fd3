package io.elaswave.engine.rng;

/**
 * A stateless, counter-based generator: {@code hash(key)} is a strong 64-bit mix of the key
 * fields (SplitMix64's finaliser applied once per field). The same key gives the same bits on
 * every rank, thread and run.
 */
public final class CounterRng {
  private static final long GOLDEN = 0x9E3779B97F4A7C15L;
  private static final float TWO_POW_MINUS_24 = 0x1.0p-24f;
  private static final double TWO_POW_MINUS_53 = 0x1.0p-53;

  private CounterRng() {}

  /** 64 random bits for the key (seed, purpose, step, sample, layer, element). */
  public static long bits(long seed, Purpose purpose, long step, long sample, long layer, long element) {
    long h = mix(seed + GOLDEN);
    h = mix(h ^ (purpose.code() * GOLDEN));
    h = mix(h ^ step);
    h = mix(h + sample * GOLDEN);
    h = mix(h ^ layer);
    return mix(h + element);
  }

  /** A float uniform on [0, 1) with 24 random bits. */
  public static float uniform(long seed, Purpose purpose, long step, long sample, long layer, long element) {
    return (bits(seed, purpose, step, sample, layer, element) >>> 40) * TWO_POW_MINUS_24;
  }

  /** A double uniform on [0, 1) with 53 random bits. */
  public static double uniformDouble(long bits) {
    return (bits >>> 11) * TWO_POW_MINUS_53;
  }

  /**
   * A standard normal sample (Box-Muller on two uniforms drawn from the element's key and its
   * successor key space). StrictMath keeps the transcendental functions bit-reproducible.
   */
  public static double normal(long seed, Purpose purpose, long step, long sample, long layer, long element) {
    long a = bits(seed, purpose, step, sample, layer, 2 * element);
    long b = bits(seed, purpose, step, sample, layer, 2 * element + 1);
    double u1 = 1.0 - uniformDouble(a); // (0, 1]: log stays finite
    double u2 = uniformDouble(b);
    return StrictMath.sqrt(-2.0 * StrictMath.log(u1)) * StrictMath.cos(2.0 * StrictMath.PI * u2);
  }

  /** A uniform integer on [0, bound) (bound &gt; 0), from the key's bits. */
  public static long below(long bits, long bound) {
    return Long.remainderUnsigned(bits, bound);
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
