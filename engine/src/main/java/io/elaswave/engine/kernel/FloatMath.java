package io.elaswave.engine.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * exp and tanh from float additions and multiplications only, so their bits never depend on a
 * platform intrinsic or JIT tier (java.lang.Math may use either). exp is Cephes' expf (range
 * reduction by ln 2, degree-6 polynomial, about 1 ulp); tanh is a [13/6] rational approximation
 * on [-9, 9] (a few ulp), saturating beyond.
 */
public final class FloatMath {
  private static final float LOG2E = 1.44269504088896341f;
  private static final float LN2_HI = 0.693359375f;
  private static final float LN2_LO = -2.12194440e-4f;
  private static final float EXP_MAX = 88.3762626647949f;
  private static final float EXP_MIN = -87.3365447504f;
  private static final float TANH_CLAMP = 9f;
  private static final float ROUNDER = 12582912f; // 1.5 · 2^23
  private static final int ROUNDER_BITS = Float.floatToRawIntBits(ROUNDER);

  private FloatMath() {}

  /** e^x for float x; 0 below about -87.3, +inf above about 88.4. */
  public static float exp(float x) {
    if (x > EXP_MAX) {
      return Float.POSITIVE_INFINITY;
    }
    if (x < EXP_MIN) {
      return 0f;
    }
    float n = (float) Math.floor(x * LOG2E + 0.5f);
    float r = x - n * LN2_HI;
    r = r - n * LN2_LO;
    float z = r * r;
    float y = 1.9875691500e-4f;
    y = y * r + 1.3981999507e-3f;
    y = y * r + 8.3334519073e-3f;
    y = y * r + 4.1665795894e-2f;
    y = y * r + 1.6666665459e-1f;
    y = y * r + 5.0000001201e-1f;
    y = y * z + r + 1f;
    return scaleByPowerOfTwo(y, (int) n);
  }

  /** tanh(x) for float x. */
  public static float tanh(float x) {
    if (x > TANH_CLAMP) {
      return 1f;
    }
    if (x < -TANH_CLAMP) {
      return -1f;
    }
    float x2 = x * x;
    float p = -2.76076847742355e-16f;
    p = p * x2 + 2.00018790482477e-13f;
    p = p * x2 - 8.60467152213735e-11f;
    p = p * x2 + 5.12229709037114e-08f;
    p = p * x2 + 1.48572235717979e-05f;
    p = p * x2 + 6.37261928875436e-04f;
    p = p * x2 + 4.89352455891786e-03f;
    p = p * x;
    float q = 1.19825839466702e-06f;
    q = q * x2 + 1.18534705686654e-04f;
    q = q * x2 + 2.26843463243900e-03f;
    q = q * x2 + 4.89352518554385e-03f;
    float t = p / q;
    return Math.max(-1f, Math.min(1f, t));
  }

  /**
   * a[off + i] = tanh(a[off + i]) for i in [0, n), lane by lane, bitwise equal to
   * {@link #tanh(float)}: the same multiplications, additions and division in the same order (no
   * fused multiply-add), then the same clamps. The loop lives here, not in a method taking a
   * vector: a vector passed to a call that C2 does not inline is boxed on the heap, and whether
   * it inlines depended on the order methods were compiled in (some runs allocated ~190 MB a
   * step through it).
   */
  public static void tanhInPlace(float[] a, int off, int n) {
    var species = FloatVector.SPECIES_PREFERRED;
    int full = n - n % species.length();
    for (int i = off; i < off + full; i += species.length()) {
      var x = FloatVector.fromArray(species, a, i);
      var x2 = x.mul(x);
      var p = x2.broadcast(-2.76076847742355e-16f);
      p = p.mul(x2).add(2.00018790482477e-13f);
      p = p.mul(x2).add(-8.60467152213735e-11f);
      p = p.mul(x2).add(5.12229709037114e-08f);
      p = p.mul(x2).add(1.48572235717979e-05f);
      p = p.mul(x2).add(6.37261928875436e-04f);
      p = p.mul(x2).add(4.89352455891786e-03f);
      p = p.mul(x);
      var q = x2.broadcast(1.19825839466702e-06f);
      q = q.mul(x2).add(1.18534705686654e-04f);
      q = q.mul(x2).add(2.26843463243900e-03f);
      q = q.mul(x2).add(4.89352518554385e-03f);
      var t = p.div(q).min(1f).max(-1f);
      t = t.blend(1f, x.compare(VectorOperators.GT, TANH_CLAMP));
      t.blend(-1f, x.compare(VectorOperators.LT, -TANH_CLAMP)).intoArray(a, i);
    }
    for (int i = off + full; i < off + n; i++) {
      a[i] = tanh(a[i]);
    }
  }

  /**
   * dst[dstOff + i] = exp(src[srcOff + i] · scale − shift) for i in [0, n) (dst may be src, in place):
   * bitwise equal to the scalar {@code exp(src[i] * scale - shift)} on every non-NaN lane (a NaN
   * gives NaN): the same float operations in the same order. floor and the exponent's integer
   * come from adding 1.5·2^23 (rounding to an integer, exact for the |n| ≤ 128 that reach them;
   * no float-to-int conversion); the rare lanes whose 2^k is not a normal float (x near the
   * ends of the range) are redone by the scalar, whose bits they must have. The
   * whole lane computation is written out inside the loop: compiled apart, it is too large for
   * C2 to inline, and a vector passed to a call that is not inlined is boxed on the heap.
   */
  public static void expScaledShifted(float[] src, int srcOff, float scale, float shift, float[] dst, int dstOff,
      int n) {
    var species = FloatVector.SPECIES_PREFERRED;
    int full = n - n % species.length();
    for (int i = 0; i < full; i += species.length()) {
      var x = FloatVector.fromArray(species, src, srcOff + i).mul(scale).sub(shift);
      var v = x.mul(LOG2E).add(0.5f);
      var rn = v.add(ROUNDER).sub(ROUNDER); // v rounded to the nearest integer
      var k = rn.sub(1f, rn.compare(VectorOperators.GT, v)); // floor(v)
      var r = x.sub(k.mul(LN2_HI));
      r = r.sub(k.mul(LN2_LO));
      var z = r.mul(r);
      var y = r.broadcast(1.9875691500e-4f);
      y = y.mul(r).add(1.3981999507e-3f);
      y = y.mul(r).add(8.3334519073e-3f);
      y = y.mul(r).add(4.1665795894e-2f);
      y = y.mul(r).add(1.6666665459e-1f);
      y = y.mul(r).add(5.0000001201e-1f);
      y = y.mul(z).add(r).add(1f);
      if (k.compare(VectorOperators.GT, 127f).or(k.compare(VectorOperators.LT, -126f)).anyTrue()) {
        for (int j = i; j < i + species.length(); j++) { // 2^k is not a normal float: the scalar's cases
          dst[dstOff + j] = exp(src[srcOff + j] * scale - shift); // src is intact: dst may be src
        }
      } else {
        var out = y.mul(powerOfTwo(k.max(-126f).min(127f)));
        out = out.blend(Float.POSITIVE_INFINITY, x.compare(VectorOperators.GT, EXP_MAX));
        out.blend(0f, x.compare(VectorOperators.LT, EXP_MIN)).intoArray(dst, dstOff + i);
      }
    }
    for (int i = full; i < n; i++) {
      dst[dstOff + i] = exp(src[srcOff + i] * scale - shift);
    }
  }

  /** 2^e for integral float lanes e in [-126, 127]: e's integer sits in the low bits of e + 1.5·2^23. */
  private static FloatVector powerOfTwo(FloatVector e) {
    IntVector bits = (IntVector) e.add(ROUNDER).reinterpretAsInts();
    return (FloatVector) bits.sub(ROUNDER_BITS - 127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
  }

  /** y · 2^n with n in [-127, 128], through exponent bits (exact: a power of two). */
  private static float scaleByPowerOfTwo(float y, int n) {
    if (n > 127) {
      return y * 2f * Float.intBitsToFloat((n - 1 + 127) << 23);
    }
    if (n < -126) {
      return y * Float.intBitsToFloat((n + 126 + 127) << 23) * 0x1.0p-126f;
    }
    return y * Float.intBitsToFloat((n + 127) << 23);
  }
}
