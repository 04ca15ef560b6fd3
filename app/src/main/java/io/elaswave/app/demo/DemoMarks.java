package io.elaswave.app.demo;

import java.nio.charset.Charset;

/** The marks of a step equal ({@code ok}) or not ({@code bad}) to the reference, as the terminal can show them. */
record DemoMarks(String ok, String bad) {
  static DemoMarks forTerminal() {
    return new DemoMarks(symbol("\u2713", "ok"), symbol("\u2717", "XX"));
  }

  private static String symbol(String preferred, String fallback) {
    String encoding = System.getProperty("sun.stdout.encoding", Charset.defaultCharset().name());
    try {
      return Charset.forName(encoding).newEncoder().canEncode(preferred) ? preferred : fallback;
    } catch (RuntimeException e) {
      return fallback;
    }
  }
}
