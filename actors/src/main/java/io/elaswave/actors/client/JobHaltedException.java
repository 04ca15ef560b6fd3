package io.elaswave.actors.client;

import io.elaswave.protocol.runtime.DriverMessage;

/**
 * The job halted (its ledger's journal stayed unreachable past the limit): nothing more runs, but
 * its ranks still hold the state after {@link #step()}, which the driver may collect and
 * checkpoint before it stops the job.
 */
public final class JobHaltedException extends JobException {
  private final long step;

  public JobHaltedException(DriverMessage.JobHalted halted) {
    super("the job halted after step " + halted.step() + ": " + halted.reason());
    this.step = halted.step();
  }

  /** The step whose state the ranks hold. */
  public long step() {
    return step;
  }
}
