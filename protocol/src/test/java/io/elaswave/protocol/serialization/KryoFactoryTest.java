package io.elaswave.protocol.serialization;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.serializers.RecordSerializer;
import io.elaswave.protocol.FloatTensor;
import io.elaswave.protocol.chunk.TensorChunk;
import org.junit.jupiter.api.Test;

/** Which Kryo serializer each kind of registered class gets. */
class KryoFactoryTest {
  private final Kryo kryo = new KryoFactory(Registrations.load(getClass().getClassLoader()),
      new ActorRefSerializer(() -> null), getClass().getClassLoader()).create();

  @Test
  void serializersAreTheIntendedOnes() throws Exception {
    assertInstanceOf(RecordSerializer.class, kryo.getSerializer(TensorChunk.class));
    assertInstanceOf(RecordSerializer.class, kryo.getSerializer(TestMessages.Ping.class));
    assertInstanceOf(FloatTensorSerializer.class, kryo.getSerializer(FloatTensor.class));
    assertInstanceOf(FloatArraySerializer.class, kryo.getSerializer(float[].class));
    assertInstanceOf(ActorRefSerializer.class, kryo.getSerializer(Class.forName(Registrations.ACTOR_REF_ADAPTER)));
  }

  @Test
  void registrationIsRequired() {
    assertTrue(kryo.isRegistrationRequired());
  }
}
