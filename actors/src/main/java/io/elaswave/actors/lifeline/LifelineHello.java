package io.elaswave.actors.lifeline;

import java.nio.charset.StandardCharsets;

/**
 * The one line a lifeline's dialler sends first: who is on the far end and how to confirm its
 * death — its process id and the host:port its actor system listens on.
 */
public record LifelineHello(long pid, String address) {
  static final String MAGIC = "elaswave-lifeline/1";
  /** A hello is short; anything longer is not one. */
  static final int MAX_BYTES = 160;

  public LifelineHello {
    if (pid <= 0) {
      throw new IllegalArgumentException("a lifeline's pid must be positive, got " + pid);
    }
    int colon = address.lastIndexOf(':');
    if (colon <= 0 || colon == address.length() - 1 || address.chars().anyMatch(c -> c <= ' ' || c > '~')) {
      throw new IllegalArgumentException("a lifeline's address must be host:port, got '" + address + "'");
    }
    int port = Integer.parseInt(address.substring(colon + 1));
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("a lifeline's port must be in [1, 65535], got " + port);
    }
  }

  byte[] bytes() {
    return (MAGIC + " " + pid + " " + address + "\n").getBytes(StandardCharsets.US_ASCII);
  }

  /** The hello in {@code line} (without its newline); IllegalArgumentException for anything else. */
  static LifelineHello parse(String line) {
    String[] parts = line.split(" ", -1);
    if (parts.length != 3 || !parts[0].equals(MAGIC)) {
      throw new IllegalArgumentException("not a lifeline hello");
    }
    try {
      return new LifelineHello(Long.parseLong(parts[1]), parts[2]);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a lifeline hello: " + e.getMessage());
    }
  }
}
