package io.elaswave.protocol.serialization;

import io.elaswave.protocol.EpochStamped;
import io.elaswave.protocol.FloatTensor;
import io.elaswave.protocol.KryoMessage;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;

/** Test-only messages, contributed through the same {@link MessageRegistry} SPI a module would use. */
public final class TestMessages implements MessageRegistry {

  @Override
  public List<Registration> registrations() {
    return List.of(
        Registration.of(9000, Ping.class),
        Registration.of(9001, Pong.class),
        Registration.of(9002, Mixed.class),
        Registration.of(9003, Phase.class),
        Registration.of(9004, Holder.class));
  }

  /** Carries a reply-to ref and float payloads both as a tensor and as a bare array. */
  public record Ping(String text, FloatTensor tensor, float[] raw, ActorRef<Pong> replyTo) implements KryoMessage {
    @Override
    public boolean equals(Object o) {
      return o instanceof Ping p && text.equals(p.text) && tensor.equals(p.tensor) && Arrays.equals(raw, p.raw)
          && replyTo.equals(p.replyTo);
    }

    @Override
    public int hashCode() {
      return Objects.hash(text, tensor, replyTo) * 31 + Arrays.hashCode(raw);
    }
  }

  public record Pong(long epoch, String text, FloatTensor tensor) implements KryoMessage, EpochStamped {}

  public enum Phase { WARM_UP, STEADY, COOL_DOWN }

  /** Every core type as a record component, including nulls where the type allows them. */
  public record Mixed(int i, long l, double d, boolean b, String nullable, byte[] bytes, int[] ints, long[] longs,
      double[] doubles, boolean[] flags, String[] names, List<String> list, Map<String, Integer> map,
      Optional<String> maybe, Phase phase) implements KryoMessage {
    @Override
    public boolean equals(Object o) {
      return o instanceof Mixed m && i == m.i && l == m.l && Double.compare(d, m.d) == 0 && b == m.b
          && Objects.equals(nullable, m.nullable) && Arrays.equals(bytes, m.bytes) && Arrays.equals(ints, m.ints)
          && Arrays.equals(longs, m.longs) && Arrays.equals(doubles, m.doubles) && Arrays.equals(flags, m.flags)
          && Arrays.equals(names, m.names) && list.equals(m.list) && map.equals(m.map) && maybe.equals(m.maybe)
          && phase == m.phase;
    }

    @Override
    public int hashCode() {
      return Objects.hash(i, l, phase);
    }
  }

  /** A registered message whose field may hold anything: used to smuggle in an unregistered class. */
  public record Holder(Object value) implements KryoMessage {}

  /** A message nobody registered. */
  public record Unregistered(String text) implements KryoMessage {}
}
