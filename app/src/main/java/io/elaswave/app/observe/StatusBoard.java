package io.elaswave.app.observe;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.elaswave.app.RunEvent;
import io.elaswave.app.RunWatch;
import io.elaswave.app.TrainingDriver;
import io.elaswave.engine.train.StepResult;
import io.elaswave.protocol.runtime.DriverMessage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Keeps the run's {@link RunStatus} up to date from the training loop's thread; {@link #now()}
 * reads it from any thread (the HTTP server's) with the cluster's members as they are at that
 * moment, so a killed node drops out before the next commit.
 */
public final class StatusBoard implements RunWatch {
  private static final ObjectMapper JSON = new ObjectMapper();
  private volatile RunStatus status = new RunStatus("starting", "", 0, 0, Double.NaN, 0, 0, "", 0, List.of(),
      List.of(), null, 0, System.currentTimeMillis());
  private volatile Supplier<List<ClusterMember>> members = List::of;

  /** Where the members come from once the driver is up. */
  public void members(Supplier<List<ClusterMember>> source) {
    members = source;
  }

  public RunStatus now() {
    List<ClusterMember> seen;
    try {
      seen = members.get();
    } catch (RuntimeException e) {
      seen = List.of(); // the actor system is going away: the run is ending
    }
    return status.withMembers(seen);
  }

  @Override public void started(String description, long committedStep, long lastStep) {
    RunStatus s = status;
    status = new RunStatus("running", description, committedStep, lastStep, s.loss(), s.tokensPerSecond(),
        s.stepMillis(), s.layout(), s.epoch(), s.nodes(), List.of(), s.lastRecovery(), s.recoveries(),
        System.currentTimeMillis());
  }

  @Override public void step(StepResult r, long stepNanos, TrainingDriver driver) {
    RunStatus s = status;
    LayoutName layout = LayoutName.of(driver.layout() == null ? "reference" : driver.layout());
    List<RunStatus.NodeStatus> nodes = driver.lastCommit().map(c -> nodes(c, driver.nodeBudgets())).orElse(List.of());
    status = new RunStatus("running", s.description(), r.step(), s.lastStep(), r.loss(),
        r.tokens() / (Math.max(stepNanos, 1) / 1e9), stepNanos / 1e6, layout.shape(), layout.epoch(), nodes, List.of(),
        s.lastRecovery(), s.recoveries(), System.currentTimeMillis());
  }

  private static List<RunStatus.NodeStatus> nodes(DriverMessage.StepCommitted c, Map<String, Double> budgets) {
    Map<String, List<RunStatus.RankStatus>> ranks = new LinkedHashMap<>();
    Map<String, Double> clocks = new LinkedHashMap<>();
    c.busy().stream().sorted(java.util.Comparator.comparing(DriverMessage.RankBusy::node)
        .thenComparingInt(DriverMessage.RankBusy::rank)).forEach(b -> {
          ranks.computeIfAbsent(b.node(), n -> new ArrayList<>()).add(
              new RunStatus.RankStatus(b.rank(), b.replica(), b.stage()));
          clocks.put(b.node(), b.clock());
        });
    List<RunStatus.NodeStatus> out = new ArrayList<>();
    ranks.forEach((node, rs) -> out.add(new RunStatus.NodeStatus(node, rs, clocks.get(node),
        budgets.getOrDefault(node, 0.0))));
    return out;
  }

  @Override public void event(RunEvent e) {
    RunStatus s = status;
    if (e instanceof RunEvent.Recovered || e instanceof RunEvent.Restarted || e instanceof RunEvent.NodeJoined) {
      status = new RunStatus(s.state(), s.description(), s.step(), s.lastStep(), s.loss(), s.tokensPerSecond(),
          s.stepMillis(), s.layout(), s.epoch(), s.nodes(), List.of(), tree(e), s.recoveries() + 1,
          System.currentTimeMillis());
    } else if (e instanceof RunEvent.Done) {
      status = new RunStatus("done", s.description(), s.step(), s.lastStep(), s.loss(), s.tokensPerSecond(),
          s.stepMillis(), s.layout(), s.epoch(), s.nodes(), List.of(), s.lastRecovery(), s.recoveries(),
          System.currentTimeMillis());
    }
  }

  private static JsonNode tree(RunEvent e) {
    try {
      return JSON.readTree(e.jsonText());
    } catch (JsonProcessingException x) {
      throw new IllegalStateException("a run event is not JSON: " + e.jsonText(), x); // JsonLine writes JSON
    }
  }
}
