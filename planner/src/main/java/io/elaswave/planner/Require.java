package io.elaswave.planner;

/** The one-line argument check every record here uses. */
final class Require {
  private Require() {}

  static void that(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}
