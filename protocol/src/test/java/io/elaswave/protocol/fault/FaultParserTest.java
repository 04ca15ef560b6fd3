package io.elaswave.protocol.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.elaswave.planner.RankId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FaultParserTest {
  @Test void readsEveryKind() {
    assertEquals(new Fault.Kill("node-2", 8), FaultParser.parse("kill:node-2@8"));
    assertEquals(new Fault.Kill("node-2", 8), FaultParser.parse("kill:2@8"));
    assertEquals(new Fault.RankError(RankId.of(1), 5), FaultParser.parse("error:r1@5"));
    assertEquals(new Fault.RankHang(RankId.of(2), 5), FaultParser.parse("HANG:2@5"));
    assertEquals(new Fault.Kill("node-3", 4), FaultParser.parseKill("node-3@4"));
  }

  @Test void textRoundTrips() {
    for (String s : new String[] {"kill:node-2@8", "error:r1@5", "hang:r2@5"}) {
      assertEquals(s, FaultParser.parse(s).text());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "kill", "kill:node-2", "kill:node-2@", "kill:node-x@3", "error:rx@3", "boom:r1@3",
      "hang:r1@0", "kill:2@99999999999999999999"})
  void refusesBadTextWithOneLine(String bad) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FaultParser.parse(bad));
    assertTrue(!e.getMessage().contains("\n") && !e.getMessage().isBlank(), e.getMessage());
  }
}
