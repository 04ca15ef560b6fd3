package io.elaswave.app;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where bench commands put their JSON: the file (directories made as needed), and a line saying so. */
final class BenchOutput {
  private BenchOutput() {}

  static void write(Path out, CharSequence json, PrintWriter term) {
    try {
      if (out.getParent() != null) {
        Files.createDirectories(out.getParent());
      }
      Files.writeString(out, json, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + out + ": " + e.getMessage(), e);
    }
    term.println("wrote " + out);
  }
}
