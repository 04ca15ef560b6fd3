package io.elaswave.engine.optim;

import io.elaswave.engine.model.ParamTensor;
import java.util.List;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Elementwise AdamW over any range of a layer's vector. The result for an element depends only
 * on that element's parameter, gradient, moments and the step, so any partition of the vector
 * into ranges gives the same bits.
 */
public final class AdamW {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

  private final AdamWConfig config;

  public AdamW(AdamWConfig config) {
    this.config = config;
  }

  public AdamWConfig config() {
    return config;
  }

  /** The per-step constants: learning rate, clip factor and bias corrections for step t (1-based). */
  public record StepScalars(float lr, float gradScale, float correction1, float correction2) {}

  public StepScalars scalars(long step, float lr, float gradScale) {
    float c1 = (float) (1.0 - StrictMath.pow(config.beta1(), step));
    float c2 = (float) (1.0 - StrictMath.pow(config.beta2(), step));
    return new StepScalars(lr, gradScale, c1, c2);
  }

  /**
   * Updates elements [from, to) of a layer whose tensors are {@code tensors} (for the weight-decay
   * flags). Each slice must cover [from, to).
   */
  public void update(Slice params, Slice grads, Slice m, Slice v, List<ParamTensor> tensors, int from, int to,
      StepScalars s) {
    for (ParamTensor t : tensors) {
      int lo = Math.max(from, t.offset());
      int hi = Math.min(to, t.end());
      if (lo < hi) {
        updateRange(params, grads, m, v, lo, hi, t.decay() ? config.weightDecay() : 0f, s);
      }
    }
  }

  /**
   * Lanes across elements, each lane the scalar update below with the same operations in the same
   * order (no fma; the vector square root is IEEE-exact like the scalar's, which rounds a double
   * square root of a float once), so the bits are the scalar's.
   */
  private void updateRange(Slice params, Slice grads, Slice m1, Slice m2, int from, int to, float decay,
      StepScalars s) {
    float[] p = params.values();
    float[] g = grads.values();
    float[] m = m1.values();
    float[] v = m2.values();
    int po = params.origin();
    int go = grads.origin();
    int mo = m1.origin();
    int vo = m2.origin();
    float b1 = config.beta1();
    float b2 = config.beta2();
    float eps = config.eps();
    float lr = s.lr();
    float scale = s.gradScale();
    float c1 = s.correction1();
    float c2 = s.correction2();
    int full = from + (to - from) - (to - from) % S.length();
    for (int i = from; i < full; i += S.length()) {
      FloatVector grad = FloatVector.fromArray(S, g, i - go).mul(scale);
      FloatVector mNew = FloatVector.fromArray(S, m, i - mo).mul(b1).add(grad.mul(1f - b1));
      FloatVector vNew = FloatVector.fromArray(S, v, i - vo).mul(b2).add(grad.mul(1f - b2).mul(grad));
      mNew.intoArray(m, i - mo);
      vNew.intoArray(v, i - vo);
      FloatVector mHat = mNew.div(c1);
      FloatVector vHat = vNew.div(c2);
      FloatVector pv = FloatVector.fromArray(S, p, i - po);
      FloatVector step = mHat.div(vHat.sqrt().add(eps)).add(pv.mul(decay)).mul(lr);
      pv.sub(step).intoArray(p, i - po);
    }
    updateScalar(p, g, m, v, po, go, mo, vo, full, to, decay, s);
  }

  /** The scalar twin, one element at a time (also the tail of each vector range). */
  void updateScalar(float[] p, float[] g, float[] m, float[] v, int po, int go, int mo, int vo, int from, int to,
      float decay, StepScalars s) {
    float b1 = config.beta1();
    float b2 = config.beta2();
    float eps = config.eps();
    for (int i = from; i < to; i++) {
      int pi = i - po;
      int mi = i - mo;
      int vi = i - vo;
      float grad = g[i - go] * s.gradScale();
      float mNew = b1 * m[mi] + (1f - b1) * grad;
      float vNew = b2 * v[vi] + (1f - b2) * grad * grad;
      m[mi] = mNew;
      v[vi] = vNew;
      float mHat = mNew / s.correction1();
      float vHat = vNew / s.correction2();
      p[pi] -= s.lr() * (mHat / ((float) Math.sqrt(vHat) + eps) + decay * p[pi]);
    }
  }
}
