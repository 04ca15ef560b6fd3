package io.elaswave.engine.train;

/** A checkpoint that cannot be read or written; the message says which file and why. */
public final class CheckpointException extends RuntimeException {
  public CheckpointException(String message) {
    super(message);
  }

  public CheckpointException(String message, Throwable cause) {
    super(message, cause);
  }
}
