package io.elaswave.actors.client;

import io.elaswave.protocol.runtime.DriverMessage;

/**
 * The job's recovery policy stopped it to restart from the last checkpoint (the restart
 * baseline); {@link #notice()} says in which shape and after which committed step.
 */
public final class JobRestartException extends JobException {
  private final transient DriverMessage.RestartRequired notice;

  public JobRestartException(DriverMessage.RestartRequired notice) {
    super("the job restarts from its last checkpoint: " + notice.reason());
    this.notice = notice;
  }

  public DriverMessage.RestartRequired notice() {
    return notice;
  }
}
