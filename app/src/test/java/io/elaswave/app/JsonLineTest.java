package io.elaswave.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class JsonLineTest {
  @Test
  void escapesStringsAndKeepsNumbersExact() {
    String line = new JsonLine()
        .field("path", "a\"b\\c\nd\u0001\u2028")
        .field("n", 12L)
        .field("loss", 2.8123457f)
        .field("lr", 1.8e-4f)
        .field("x", 1.02)
        .field("none", (String) null)
        .toString();
    assertEquals("{\"path\":\"a\\\"b\\\\c\\nd\\u0001\\u2028\",\"n\":12,\"loss\":2.8123457,\"lr\":1.8E-4,"
        + "\"x\":1.02,\"none\":null}", line);
  }

  @Test
  void nonFiniteNumbersBecomeNull() {
    assertEquals("{\"a\":null,\"b\":null}",
        new JsonLine().field("a", Float.NaN).field("b", Double.POSITIVE_INFINITY).toString());
  }
}
