package io.elaswave.protocol.serialization;

import io.elaswave.protocol.FloatTensor;
import io.elaswave.protocol.chunk.TensorChunk;
import io.elaswave.protocol.serialization.TestMessages.Holder;
import io.elaswave.protocol.serialization.TestMessages.Mixed;
import io.elaswave.protocol.serialization.TestMessages.Phase;
import io.elaswave.protocol.serialization.TestMessages.Ping;
import io.elaswave.protocol.serialization.TestMessages.Pong;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;

/** At least one instance of every registered class, for the round-trip walk. */
final class Samples {
  private Samples() {}

  /** Floats whose bits a careless codec would change: NaN payloads, −0, subnormals, infinities. */
  static float[] trickyFloats() {
    return new float[] {0f, -0f, 1.5f, -3.25e-7f, Float.MIN_VALUE, Float.MAX_VALUE, Float.NEGATIVE_INFINITY,
        Float.intBitsToFloat(0x7fc00001), Float.intBitsToFloat(0xffa00000), Float.NaN};
  }

  static List<Object> all(ActorRef<Pong> ref) {
    List<Object> all = new ArrayList<>(core(ref));
    all.addAll(RuntimeSamples.all(ref));
    return all;
  }

  private static List<Object> core(ActorRef<Pong> ref) {
    float[] floats = trickyFloats();
    FloatTensor tensor = new FloatTensor(floats);
    Map<String, Integer> hash = new HashMap<>(Map.of("a", 1, "b", 2));
    Map<String, Integer> linked = new LinkedHashMap<>();
    linked.put("z", 26);
    linked.put("a", 1);
    return List.of(
        new byte[] {1, -2, 127, -128}, new byte[0],
        new boolean[] {true, false, true},
        new int[] {0, -1, Integer.MAX_VALUE, Integer.MIN_VALUE},
        new long[] {0L, -1L, Long.MAX_VALUE, Long.MIN_VALUE},
        floats, new float[0],
        new double[] {0.0, -0.0, Math.PI, Double.NaN, Double.MIN_VALUE},
        new String[] {"x", null, ""},
        new ArrayList<>(List.of("a", "b")),
        hash,
        linked,
        Optional.of("present"), Optional.empty(),
        List.of(), List.of(1, 2, 3), List.of("one"), List.of("one", "two"), List.of(1, 2, 3).subList(0, 2),
        Set.of(), Set.of(1, 2, 3), Set.of("s"), Set.of("s", "t"),
        Map.of(), Map.of("a", 1, "b", 2), Map.of("k", 1L),
        ref,
        tensor, FloatTensor.of(),
        new TensorChunk(7L, 3L, 1, 3, 10, 25, Arrays.copyOf(floats, 10)),
        new TensorChunk(8L, 0L, 0, 1, 0, 0, new float[0]),
        new Ping("ping", tensor, floats, ref),
        new Pong(42L, "pong", tensor),
        new Mixed(-7, Long.MIN_VALUE, -0.0, true, null, new byte[] {9}, new int[] {1, 2}, new long[] {3L},
            new double[] {4.5}, new boolean[] {false}, new String[] {"n"}, List.of("l1", "l2"), Map.of("m", 1),
            Optional.of("o"), Phase.STEADY),
        Phase.COOL_DOWN,
        new Holder(List.of(new Pong(1L, "nested", FloatTensor.of(1f, 2f)))));
  }
}
