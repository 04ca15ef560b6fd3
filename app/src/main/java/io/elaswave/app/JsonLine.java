package io.elaswave.app;

/**
 * One flat JSON object on one line, built field by field: just enough JSON for the metrics file
 * without a JSON dependency. Non-finite numbers, which JSON cannot express, become {@code null}.
 */
final class JsonLine {
  private final StringBuilder text = new StringBuilder("{");
  private final StringBuilder plain = new StringBuilder();

  JsonLine field(String name, String value) {
    name(name);
    plain.append(value);
    if (value == null) {
      text.append("null");
    } else {
      quote(value);
    }
    return this;
  }

  JsonLine field(String name, long value) {
    name(name);
    plain.append(value);
    text.append(value);
    return this;
  }

  /** {@link Float#toString} is the shortest text that parses back to the same float. */
  JsonLine field(String name, float value) {
    name(name);
    plain.append(value);
    text.append(Float.isFinite(value) ? Float.toString(value) : "null");
    return this;
  }

  JsonLine field(String name, double value) {
    name(name);
    plain.append(value);
    text.append(Double.isFinite(value) ? Double.toString(value) : "null");
    return this;
  }

  @Override
  public String toString() {
    return text + "}";
  }

  /** The fields as {@code " name=value"} pairs, values as written (strings unquoted), for the terminal. */
  String keyValues() {
    return plain.toString();
  }

  private void name(String name) {
    plain.append(' ').append(name).append('=');
    if (text.length() > 1) {
      text.append(',');
    }
    quote(name);
    text.append(':');
  }

  private void quote(String s) {
    text.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> text.append("\\\"");
        case '\\' -> text.append("\\\\");
        case '\n' -> text.append("\\n");
        case '\r' -> text.append("\\r");
        case '\t' -> text.append("\\t");
        default -> {
          // Control characters must be escaped; U+2028/9 too, so a line stays a line for every reader.
          if (c < 0x20 || c == '\u2028' || c == '\u2029') {
            text.append(String.format("\\u%04x", (int) c));
          } else {
            text.append(c);
          }
        }
      }
    }
    text.append('"');
  }
}
