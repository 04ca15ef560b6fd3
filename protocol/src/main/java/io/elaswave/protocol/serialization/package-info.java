/**
 * The Pekko serializer binding on Kryo 5 (pekko-engineering.md §3), written here because the
 * io.altoo binding is not available. {@link io.elaswave.protocol.serialization.KryoSerializer}
 * serializes every {@link io.elaswave.protocol.KryoMessage}, writing straight into Artery's
 * buffers; {@link io.elaswave.protocol.serialization.Registrations} is the single id → class table
 * that every JVM must share, extended by modules through
 * {@link io.elaswave.protocol.serialization.MessageRegistry} providers. Typed ActorRefs travel as
 * resolvable paths, float arrays as raw little-endian bytes copied in bulk.
 */
package io.elaswave.protocol.serialization;
