package io.elaswave.app;

import io.elaswave.protocol.fault.Fault;
import io.elaswave.protocol.fault.FaultParser;
import java.util.ArrayList;
import java.util.List;

/** train's fault flags as one script: every --kill (shorthand for --fault kill:...), then every --fault, in order. */
final class FaultFlags {
  private FaultFlags() {}

  /** The script; a flag that does not parse is an {@link InputException} naming it. */
  static List<Fault> script(List<String> kills, List<String> faults) {
    List<Fault> all = new ArrayList<>();
    for (String k : kills) {
      try {
        all.add(FaultParser.parseKill(k));
      } catch (IllegalArgumentException e) {
        throw new InputException("--kill takes NODE@STEP (node-2@8 or 2@8), got '" + k + "'");
      }
    }
    for (String f : faults) {
      try {
        all.add(FaultParser.parse(f));
      } catch (IllegalArgumentException e) {
        String m = e.getMessage();
        throw new InputException(m.startsWith("--fault") ? m : "--fault " + m);
      }
    }
    return all;
  }
}
