package io.elaswave.app.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One metrics file as the report reads it: every step line in file order (a restart commits
 * some steps twice), each with its time since the run's first step began, and the events with
 * the time they were written at. The last line of a step is its value for per-step charts.
 */
public record RunSeries(String name, List<Step> steps, List<Event> events) {
  /**
   * A committed step: its number, loss, tokens/s, seconds since the first step began (at its
   * end), and its modelled joules per token (0 where the metrics have none: the reference, an
   * older file).
   */
  public record Step(long step, double loss, double tokensPerSec, double seconds, double endSeconds,
      double joulesPerToken) {}

  /** An event line: its name, the step it came with, seconds since the first step began, and its fields. */
  public record Event(String name, long step, double atSeconds, JsonNode fields) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Reads {@code file}; a line that is not a JSON object is an error naming the file and line. */
  public static RunSeries read(Path file) throws IOException {
    List<Step> steps = new ArrayList<>();
    List<Event> events = new ArrayList<>();
    double clock = 0;
    int n = 0;
    for (String line : Files.readAllLines(file)) {
      n++;
      if (line.isBlank()) {
        continue;
      }
      JsonNode o;
      try {
        o = JSON.readTree(line);
      } catch (IOException e) {
        throw new IOException(file + " line " + n + " is not JSON: " + e.getMessage().lines().findFirst().orElse(""));
      }
      if (o == null || !o.isObject()) {
        throw new IOException(file + " line " + n + " is not a JSON object");
      }
      if (o.has("event")) {
        events.add(new Event(o.get("event").asText(), o.path("step").asLong(steps.isEmpty() ? 0
            : steps.get(steps.size() - 1).step() + 1), clock, o));
      } else if (o.has("step") && o.has("loss")) {
        double seconds = o.path("stepMillis").asDouble() / 1e3;
        clock += seconds;
        steps.add(new Step(o.get("step").asLong(), o.get("loss").asDouble(), o.path("tokensPerSec").asDouble(), seconds,
            clock, o.path("joulesPerToken").asDouble()));
      }
    }
    if (steps.isEmpty()) {
      throw new IOException(file + " has no step lines: is it an elaswave metrics file (--metrics)?");
    }
    return new RunSeries(name(file), List.copyOf(steps), List.copyOf(events));
  }

  /** The run's name in legends: the file name without {@code .jsonl}. */
  static String name(Path file) {
    return file.getFileName().toString().replaceFirst("\\.jsonl?$", "");
  }

  /** Whether the run's steps carry energy figures. */
  public boolean hasEnergy() {
    return steps.stream().anyMatch(s -> s.joulesPerToken() > 0);
  }

  /** Each step's loss, from its last commit. */
  public Map<Long, Double> lossByStep() {
    Map<Long, Double> out = new TreeMap<>();
    steps.forEach(s -> out.put(s.step(), s.loss()));
    return out;
  }
}
