package io.elaswave.engine.rng;

/** What a random number is for; part of every key so that purposes never share values. */
public enum Purpose {
  INIT(1),
  DROPOUT(2),
  DATA(3),
  EVAL_DATA(4),
  SAMPLE(5);

  private final long code;

  Purpose(long code) {
    this.code = code;
  }

  long code() {
    return code;
  }
}
