package io.elaswave.actors.client;

/** The cluster refused or failed a request of the driver; the message says why. */
public class JobException extends RuntimeException {
  public JobException(String message) {
    super(message);
  }

  public JobException(String message, Throwable cause) {
    super(message, cause);
  }
}
