package io.elaswave.app;

/**
 * Bad user input found after parsing (an unreadable checkpoint, a missing runtime): reported as
 * one line and exit status 2, without the usage hint that flag errors get.
 */
final class InputException extends RuntimeException {
  InputException(String message) {
    super(message);
  }

  InputException(String message, Throwable cause) {
    super(message, cause);
  }
}
