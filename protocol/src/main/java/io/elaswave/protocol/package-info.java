/**
 * The wire protocol between elaswave JVMs (DESIGN.md §3, §8 "protocol"). Every message that
 * crosses JVMs is a record implementing {@link io.elaswave.protocol.KryoMessage}, which binds it
 * to the Kryo serializer in {@code reference.conf}; messages of the data path also carry the
 * epoch they were sent under ({@link io.elaswave.protocol.EpochStamped}) so that the runtime can
 * drop what a re-plan made stale. Bulk tensor data travels as
 * {@link io.elaswave.protocol.FloatTensor} or as chunks of one
 * ({@link io.elaswave.protocol.chunk.TensorChunk}), whose floats are copied in bulk, bit for bit.
 */
package io.elaswave.protocol;
