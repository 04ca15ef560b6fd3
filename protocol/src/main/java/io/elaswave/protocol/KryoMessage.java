package io.elaswave.protocol;

/**
 * Marker for every message that crosses JVMs. The module's {@code reference.conf} binds this
 * interface to {@link io.elaswave.protocol.serialization.KryoSerializer}; the concrete class must
 * also have an id in {@link io.elaswave.protocol.serialization.Registrations} (contributed through
 * a {@link io.elaswave.protocol.serialization.MessageRegistry}), or sending it fails loudly.
 */
public interface KryoMessage {}
