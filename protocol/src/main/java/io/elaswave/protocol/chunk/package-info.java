/**
 * Application-level chunking of large float payloads (pekko-engineering.md §2.2). Artery's large
 * channel takes a few MiB per message at most, so a tensor is cut into
 * {@link io.elaswave.protocol.chunk.TensorChunk}s by a {@link io.elaswave.protocol.chunk.TensorChunker}
 * (one chunk at a time, so a credit-windowed sender materializes only what is in flight) and put
 * back together by a {@link io.elaswave.protocol.chunk.ChunkAssembler}, which accepts chunks in any
 * order and refuses anything that does not fit: a duplicate, another operation, another epoch, or
 * a chunk that disagrees with the others about the tensor's shape. Pure Java, no actors.
 */
package io.elaswave.protocol.chunk;
