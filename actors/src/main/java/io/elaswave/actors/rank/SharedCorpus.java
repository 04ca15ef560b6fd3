package io.elaswave.actors.rank;

import io.elaswave.engine.data.Corpus;

/** The bundled corpus, parsed once per JVM however many ranks it hosts (it is immutable). */
public final class SharedCorpus {
  private SharedCorpus() {}

  private static final class Holder {
    static final Corpus CORPUS = Corpus.tinyShakespeare();
  }

  public static Corpus get() {
    return Holder.CORPUS;
  }
}
