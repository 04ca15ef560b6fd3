package io.elaswave.protocol.serialization;

import java.lang.reflect.Modifier;
import java.util.Objects;

/**
 * One row of the Kryo class table: the id written on the wire (and used as the Pekko manifest)
 * for one concrete class. Ids are forever: a JVM reading an id must map it to the same class as
 * the JVM that wrote it, so an id is never reused or moved to another class.
 *
 * @param id the wire id, {@code >= 100} (Kryo keeps 0–99 for its built-in types)
 * @param type the concrete class written under this id (records use Kryo's RecordSerializer)
 */
public record Registration(int id, Class<?> type) {

  public Registration {
    Objects.requireNonNull(type, "type");
    if (id < Registrations.FIRST_ID) {
      throw new IllegalArgumentException(
          "Kryo id " + id + " for " + type.getName() + " is below " + Registrations.FIRST_ID + " (reserved by Kryo)");
    }
    if (type.isPrimitive() || type.isInterface() || (!type.isArray() && !type.isEnum() && Modifier.isAbstract(type.getModifiers()))) {
      throw new IllegalArgumentException(
          "Kryo id " + id + ": " + type.getName() + " is not a concrete class; register the classes actually sent");
    }
  }

  public static Registration of(int id, Class<?> type) {
    return new Registration(id, type);
  }

  /** The Pekko manifest for this class: the id in decimal, short and independent of class names. */
  public String manifest() {
    return Integer.toString(id);
  }
}
