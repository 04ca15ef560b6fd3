package io.elaswave.app.observe;

/**
 * A layout's name as the runtime reports it ({@code dp2xpp2@epoch3}), split into its shape
 * ({@code dp2xpp2}) and its epoch (0 when the name has none, e.g. the reference trainer's).
 */
record LayoutName(String shape, long epoch) {
  private static final String EPOCH = "@epoch";

  static LayoutName of(String name) {
    int at = name.indexOf(EPOCH);
    return at > 0 ? new LayoutName(name.substring(0, at), Long.parseLong(name.substring(at + EPOCH.length())))
        : new LayoutName(name, 0);
  }
}
