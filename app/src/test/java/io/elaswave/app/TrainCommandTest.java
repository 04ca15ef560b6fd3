package io.elaswave.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainCommandTest {
  @TempDir Path dir;

  @Test
  void writesOneObjectPerStepAndRepeatsBitForBit() throws Exception {
    Path first = dir.resolve("m1.jsonl");
    Path second = dir.resolve("m2.jsonl");
    Cli.Result run = Cli.ok("train", "--reference", "--model", "tiny", "--steps", "6", "--metrics", first.toString());
    Cli.ok("train", "--reference", "--model", "tiny", "--steps", "6", "--metrics", second.toString());

    List<Map<String, String>> steps = Cli.steps(first);
    assertEquals(6, steps.size());
    for (int i = 0; i < steps.size(); i++) {
      Map<String, String> s = steps.get(i);
      assertEquals(Integer.toString(i + 1), s.get("step"));
      assertTrue(Cli.unquote(s.get("digest")).matches("[0-9a-f]{16}"), s.get("digest"));
      // loss and lr are written with Float.toString, so they survive a round trip exactly.
      assertEquals(s.get("loss"), Float.toString(Float.parseFloat(s.get("loss"))));
      assertEquals(s.get("lr"), Float.toString(Float.parseFloat(s.get("lr"))));
      assertTrue(Double.parseDouble(s.get("gradNorm")) > 0);
      assertTrue(Long.parseLong(s.get("stepMillis")) >= 0);
      assertTrue(Double.parseDouble(s.get("tokensPerSec")) > 0);
    }
    assertEquals(Cli.digests(first), Cli.digests(second));
    assertEquals(6, Cli.digests(first).stream().distinct().count(), "every step changes the parameters");

    List<Map<String, String>> all = Cli.metrics(first);
    Map<String, String> eval = all.get(all.size() - 2);
    Map<String, String> done = all.get(all.size() - 1);
    assertEquals("\"eval\"", eval.get("event"));
    assertEquals("6", eval.get("step"));
    assertEquals("\"done\"", done.get("event"));
    assertEquals("6", done.get("steps"));
    assertEquals(steps.get(5).get("loss"), done.get("loss"));
    assertEquals(eval.get("valLoss"), done.get("valLoss"));
    assertEquals(steps.get(5).get("digest"), done.get("digest"));

    assertTrue(run.out().contains("step 6/6  loss "), run.out());
    assertTrue(run.out().contains("digest      " + Cli.unquote(done.get("digest"))), run.out());
  }

  @Test
  void resumingFromAMidRunCheckpointReproducesTheRestAndAppends() throws Exception {
    Path ck = dir.resolve("ck");
    Path full = dir.resolve("full.jsonl");
    Cli.ok("train", "--reference", "--model", "tiny", "--steps", "8", "--eval-every", "4", "--checkpoint-dir",
        ck.toString(), "--checkpoint-every", "4", "--metrics", full.toString());
    assertTrue(Files.isRegularFile(ck.resolve("step-000004/state.bin")));
    assertTrue(Files.isRegularFile(ck.resolve("step-000008/state.bin")));
    List<Map<String, String>> events = Cli.metrics(full).stream().filter(o -> o.containsKey("event")).toList();
    assertEquals(List.of("\"eval\"", "\"checkpoint\"", "\"eval\"", "\"checkpoint\"", "\"done\""),
        events.stream().map(o -> o.get("event")).toList(), "no duplicate eval or checkpoint at the end");

    Path resumed = dir.resolve("resumed.jsonl");
    String before = "{\"earlier\":\"run\"}\n";
    Files.writeString(resumed, before);
    Cli.ok("train", "--reference", "--resume", ck.resolve("step-000004").toString(), "--steps", "8", "--metrics",
        resumed.toString());

    List<String> expected = Cli.digests(full).subList(4, 8);
    assertEquals(expected, Cli.digests(resumed));
    String text = Files.readString(resumed);
    assertTrue(text.startsWith(before), "a resumed run appends");
    Map<String, String> resume = Cli.metrics(resumed).get(1);
    assertEquals("\"resume\"", resume.get("event"));
    assertEquals("4", resume.get("step"));
    assertEquals("5", Cli.steps(resumed).get(0).get("step"));
  }
}
