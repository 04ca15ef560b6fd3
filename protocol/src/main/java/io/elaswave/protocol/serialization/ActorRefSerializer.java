package io.elaswave.protocol.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;

/**
 * A typed {@link ActorRef} as its serialization format (a path with the sender's address), turned
 * back into a live ref by {@link ActorRefResolver} on the receiving system.
 *
 * <p>The resolver is looked up on first use, not at construction: Pekko builds serializers while
 * the actor system is still starting, before its extensions may be touched.
 */
final class ActorRefSerializer extends Serializer<ActorRef<?>> {
  private final Supplier<ActorRefResolver> lookup;
  private volatile ActorRefResolver resolver;

  ActorRefSerializer(Supplier<ActorRefResolver> lookup) {
    super(false, true);
    this.lookup = lookup;
  }

  @Override
  public void write(Kryo kryo, Output output, ActorRef<?> ref) {
    output.writeString(resolver().toSerializationFormat(ref));
  }

  @Override
  public ActorRef<?> read(Kryo kryo, Input input, Class<? extends ActorRef<?>> type) {
    return resolver().resolveActorRef(input.readString());
  }

  private ActorRefResolver resolver() {
    ActorRefResolver r = resolver;
    if (r == null) {
      r = lookup.get(); // an extension lookup: idempotent, so a benign race at most repeats it
      resolver = r;
    }
    return r;
  }
}
