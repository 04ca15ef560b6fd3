package io.elaswave.protocol.serialization;

import java.util.List;

/**
 * How a module contributes its message classes to the Kryo class table. Implementations are
 * found with {@link java.util.ServiceLoader}: list the class in
 * {@code META-INF/services/io.elaswave.protocol.serialization.MessageRegistry} of the module's
 * resources. Each module takes a block of ids at or above
 * {@link Registrations#FIRST_CONTRIBUTED_ID} (e.g. the actors module 1000–1999) and never
 * renumbers; {@link Registrations#load} fails at startup if two registrations share an id or a
 * class.
 *
 * <p>Records need nothing more (Kryo's RecordSerializer writes their components, and every
 * component type must itself be registered or be a Kryo built-in). A class that needs its own
 * Kryo serializer names it with Kryo's {@code @DefaultSerializer} annotation.
 */
public interface MessageRegistry {

  /** This module's classes with their ids; the order does not matter. */
  List<Registration> registrations();
}
