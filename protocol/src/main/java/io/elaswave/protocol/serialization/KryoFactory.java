package io.elaswave.protocol.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import io.elaswave.protocol.FloatTensor;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * Builds one configured Kryo from the class table. Kryo instances are not thread-safe, so the
 * serializer pools them; every instance made here is identical, which is what lets any pooled
 * instance read what any other (in any JVM with the same table) wrote.
 */
final class KryoFactory {
  private final Registrations table;
  private final ActorRefSerializer actorRefs;
  private final ClassLoader classLoader;
  private final Map<Class<?>, Supplier<Serializer<?>>> custom =
      Map.of(float[].class, FloatArraySerializer::new, FloatTensor.class, FloatTensorSerializer::new);

  KryoFactory(Registrations table, ActorRefSerializer actorRefs, ClassLoader classLoader) {
    this.table = table;
    this.actorRefs = actorRefs;
    this.classLoader = classLoader;
  }

  Kryo create() {
    Kryo kryo = new Kryo();
    kryo.setClassLoader(classLoader);
    kryo.setRegistrationRequired(true); // the default; stated because the table relies on it
    kryo.setReferences(false); // messages are trees: no cycles, no shared sub-objects worth a lookup
    kryo.addDefaultSerializer(ActorRef.class, actorRefs); // matches any ActorRef class by isAssignableFrom
    for (Registration r : table.entries()) {
      Supplier<Serializer<?>> serializer = custom.get(r.type());
      if (serializer != null) {
        kryo.register(r.type(), serializer.get(), r.id());
      } else {
        kryo.register(r.type(), r.id()); // Kryo's default: RecordSerializer for records, etc.
      }
    }
    return kryo;
  }
}
