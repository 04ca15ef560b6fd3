package io.elaswave.planner;

/** The one-line argument check every record here uses. */
public final class Require {
  private Require() {}

  public static void that(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}
