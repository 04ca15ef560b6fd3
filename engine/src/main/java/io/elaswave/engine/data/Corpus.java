package io.elaswave.engine.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A tokenised text split 90/10 into training and validation tokens. */
public final class Corpus {
  public static final String TINY_SHAKESPEARE = "/io/elaswave/engine/data/tinyshakespeare.txt";

  private final CharVocab vocab;
  private final int[] train;
  private final int[] validation;

  public Corpus(String text) {
    this.vocab = CharVocab.of(text);
    int[] all = vocab.encode(text);
    int split = (int) (all.length * 0.9);
    this.train = Arrays.copyOfRange(all, 0, split);
    this.validation = Arrays.copyOfRange(all, split, all.length);
  }

  /** The bundled tiny-shakespeare corpus (public domain, 1.1 MB). */
  public static Corpus tinyShakespeare() {
    try (InputStream in = Corpus.class.getResourceAsStream(TINY_SHAKESPEARE)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + TINY_SHAKESPEARE);
      }
      return new Corpus(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public CharVocab vocab() {
    return vocab;
  }

  public int[] train() {
    return train;
  }

  public int[] validation() {
    return validation;
  }
}
