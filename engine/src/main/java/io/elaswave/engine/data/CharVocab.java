package io.elaswave.engine.data;

import java.util.Arrays;

/** A character vocabulary: the sorted distinct characters of a text. */
public final class CharVocab {
  private final char[] chars;
  private final int[] index;

  private CharVocab(char[] sortedDistinct) {
    this.chars = sortedDistinct;
    this.index = new int[Character.MAX_VALUE + 1];
    Arrays.fill(index, -1);
    for (int i = 0; i < chars.length; i++) {
      index[chars[i]] = i;
    }
  }

  public static CharVocab of(String text) {
    return fromChars(text.chars().distinct().sorted().collect(StringBuilder::new,
        StringBuilder::appendCodePoint, StringBuilder::append).toString());
  }

  /** Rebuilds a vocabulary from its {@link #chars()} string. */
  public static CharVocab fromChars(String chars) {
    char[] c = chars.toCharArray();
    for (int i = 1; i < c.length; i++) {
      if (c[i] <= c[i - 1]) {
        throw new IllegalArgumentException("vocabulary characters must be sorted and distinct");
      }
    }
    return new CharVocab(c);
  }

  public int size() {
    return chars.length;
  }

  public String chars() {
    return new String(chars);
  }

  public int[] encode(String text) {
    int[] out = new int[text.length()];
    for (int i = 0; i < out.length; i++) {
      int id = index[text.charAt(i)];
      if (id < 0) {
        throw new IllegalArgumentException("character '" + text.charAt(i) + "' is not in the vocabulary");
      }
      out[i] = id;
    }
    return out;
  }

  public char decode(int token) {
    return chars[token];
  }
}
