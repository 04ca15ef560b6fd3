package io.elaswave.app;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Something that happened to a run besides a step: a node killed, a recovery, a node joined.
 * Fields keep their order; values are strings, longs or doubles.
 */
record RunEvent(String name, Map<String, Object> fields) {
  static RunEvent of(String name, Object... keyValues) {
    Map<String, Object> fields = new LinkedHashMap<>();
    for (int i = 0; i + 1 < keyValues.length; i += 2) {
      fields.put((String) keyValues[i], keyValues[i + 1]);
    }
    return new RunEvent(name, fields);
  }

  /** One line for the terminal: {@code node-killed node=node-2 step=8}. */
  String describe() {
    StringBuilder s = new StringBuilder(name);
    fields.forEach((k, v) -> s.append(' ').append(k).append('=').append(v));
    return s.toString();
  }
}
