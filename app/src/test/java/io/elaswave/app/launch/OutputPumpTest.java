package io.elaswave.app.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class OutputPumpTest {
  @Test
  void firstMarkedLineIsTheReadyLineAndEveryLineIsLoggedAndHeard() throws Exception {
    StringWriter log = new StringWriter();
    List<String> heard = new ArrayList<>();
    OutputPump pump =
        new OutputPump(input("booting\nREADY one\nREADY two\n"), log, heard::add, "READY");

    pump.start("pump-test");
    pump.done().get(5, TimeUnit.SECONDS);

    assertEquals("READY one", pump.ready().getNow(null));
    assertEquals("booting\nREADY one\nREADY two\n", log.toString());
    assertEquals(List.of("booting", "READY one", "READY two"), heard);
  }

  @Test
  void keepsOnlyTheLastLinesAsTail() throws Exception {
    StringBuilder text = new StringBuilder();
    for (int i = 1; i <= 25; i++) {
      text.append("line ").append(i).append('\n');
    }
    OutputPump pump =
        new OutputPump(input(text.toString()), new StringWriter(), line -> {}, "READY");

    pump.start("pump-test");
    pump.done().get(5, TimeUnit.SECONDS);

    List<String> tail = pump.tail();
    assertEquals(OutputPump.TAIL_LINES, tail.size());
    assertEquals("line 6", tail.get(0));
    assertEquals("line 25", tail.get(tail.size() - 1));
    assertFalse(pump.ready().isDone());
  }

  @Test
  void aFailingListenerDoesNotStopThePump() throws Exception {
    StringWriter log = new StringWriter();
    OutputPump pump =
        new OutputPump(
            input("a\nb\n"),
            log,
            line -> {
              throw new IllegalStateException("listener bug");
            },
            "READY");

    pump.start("pump-test");
    pump.done().get(5, TimeUnit.SECONDS);

    String text = log.toString();
    assertTrue(text.startsWith("a\n[launcher] output listener failed"), text);
    assertTrue(text.contains("\nb\n"), text);
  }

  private static ByteArrayInputStream input(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
  }
}
