package io.elaswave.app.launch;

import java.util.Locale;

/** A size in bytes as the JVM's {@code -Xmx} writes it: digits, then optionally k, m or g (binary units). */
public final class ByteSize {
  private ByteSize() {}

  /**
   * Reads {@code 512m}, {@code 2g}, {@code 65536k} or plain bytes.
   *
   * @throws IllegalArgumentException (one line) for anything else, 0, or more than 8 EiB
   */
  public static long parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (!t.matches("\\d{1,15}[kmg]?")) {
      throw new IllegalArgumentException("expected bytes, e.g. 268435456, 256m or 2g");
    }
    long unit = switch (t.charAt(t.length() - 1)) {
      case 'k' -> 1L << 10;
      case 'm' -> 1L << 20;
      case 'g' -> 1L << 30;
      default -> 1;
    };
    long n = Long.parseLong(unit == 1 ? t : t.substring(0, t.length() - 1));
    if (n == 0 || n > Long.MAX_VALUE / unit) {
      throw new IllegalArgumentException("must be between 1 byte and 8 EiB");
    }
    return n * unit;
  }
}
