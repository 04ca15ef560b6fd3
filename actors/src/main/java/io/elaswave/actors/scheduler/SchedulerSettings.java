package io.elaswave.actors.scheduler;

import com.typesafe.config.Config;
import java.time.Duration;

/** The scheduler's timings and limits, read once from {@code elaswave.*} (see reference.conf). */
record SchedulerSettings(Duration suspectAfter, Duration downUnreachableAfter, Duration livenessTick, Duration startTimeout, Duration takeOverGrace,
    StepTimes.Policy stepDeadline, Duration probeTimeout, int maxFloatsPerMessage, boolean speedReplan,
    io.elaswave.planner.frequency.PowerModel power, double frequencyTolerance, boolean frequencyVerify,
    io.elaswave.planner.elastic.MigrationPlan.Mode migration, Duration migrationWait,
    Duration journalOutageLimit) {

  static SchedulerSettings from(Config c) {
    return new SchedulerSettings(c.getDuration("elaswave.suspect-after"),
        c.getDuration("elaswave.down-unreachable-after"), c.getDuration("elaswave.liveness-tick"),
        c.getDuration("elaswave.start-timeout"), c.getDuration("elaswave.take-over-grace"),
        new StepTimes.Policy(c.getDouble("elaswave.step-deadline.factor"),
            c.getDuration("elaswave.step-deadline.floor"), c.getDuration("elaswave.step-deadline.first-steps")),
        c.getDuration("elaswave.step-deadline.probe-timeout"), c.getInt("elaswave.max-floats-per-message"),
        c.getBoolean("elaswave.speed-replan"), new io.elaswave.planner.frequency.PowerModel(
            c.getDouble("elaswave.energy.static-watts"), c.getDouble("elaswave.energy.dynamic-watts"),
            c.getDouble("elaswave.energy.exponent")), c.getDouble("elaswave.frequency.tolerance"),
        c.getBoolean("elaswave.frequency.verify"), migration(c.getString("elaswave.migration")),
        c.getDuration("elaswave.migration-wait"), c.getDuration("elaswave.journal-outage-limit"));
  }

  private static io.elaswave.planner.elastic.MigrationPlan.Mode migration(String name) {
    return switch (name) {
      case "background" -> io.elaswave.planner.elastic.MigrationPlan.Mode.BACKGROUND;
      case "blocking" -> io.elaswave.planner.elastic.MigrationPlan.Mode.BLOCKING;
      default -> throw new IllegalArgumentException("elaswave.migration must be background or blocking, got '"
          + name + "'");
    };
  }
}
