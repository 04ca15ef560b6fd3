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
    assertEquals(new Fault.Freeze("node-2", 6, 0), FaultParser.parse("freeze:node-2@6"));
    assertEquals(new Fault.Freeze("node-2", 6, 10), FaultParser.parse("freeze:2+10@6"));
    assertEquals(new Fault.Partition("node-0", 6, 0), FaultParser.parse("partition:node-0@6"));
    assertEquals(new Fault.Partition("node-1", 3, 5), FaultParser.parse("partition:node-1+5@3"));
    assertEquals(new Fault.Slow("node-2", 10, 0.13), FaultParser.parse("slow:node-2=0.13@10"));
    assertEquals(new Fault.Slow("node-1", 3, 1), FaultParser.parse("SLOW:1=1.0@3"));
    assertEquals(new Fault.Slow("node-0", 2, 0.5), FaultParser.parse("slow:0=.5@2"));
    assertEquals(new Fault.Slow("node-2", 10, 0.13), FaultParser.parse("slow:node-2@10=0.13")); // the order the issue writes
  }

  @Test void textRoundTrips() {
    for (String s : new String[] {"kill:node-2@8", "error:r1@5", "hang:r2@5", "freeze:node-2@6",
        "freeze:node-2+10@6", "partition:node-0@6", "partition:node-1+5@3",
        "slow:node-2=0.13@10", "slow:node-1=1@3", "slow:node-0=0.01@1"}) {
      assertEquals(s, FaultParser.parse(s).text());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "kill", "kill:node-2", "kill:node-2@", "kill:node-x@3", "error:rx@3", "boom:r1@3",
      "hang:r1@0", "kill:2@99999999999999999999",
      "freeze:node-2+@6", "freeze:node-2+0@6", "partition:node-x+3@6", "freeze:node-2+1234567@6", "kill:node-2+3@6",
      "slow:node-2@10", "slow:node-2=@10", "slow:node-2=0@10", "slow:node-2=0.009@10", "slow:node-2=-1@10",
      "slow:node-2=abc@10", "slow:node-2=1e-1@10", "slow:node-x=0.5@10", "slow:=0.5@10", "slow:node-2=0.5@0",
      "slow:node-2+3=0.5@4"})
  void refusesBadTextWithOneLine(String bad) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FaultParser.parse(bad));
    assertTrue(!e.getMessage().contains("\n") && !e.getMessage().isBlank(), e.getMessage());
  }
}
