package io.elaswave.protocol.chunk;

/** A chunk a {@link ChunkAssembler} refused; {@link #reason()} lets the caller drop or escalate. */
public final class ChunkRejectedException extends RuntimeException {

  /** Why a chunk was refused. */
  public enum Reason {
    /** The chunk belongs to another transfer. */
    WRONG_OPERATION,
    /** Sent under an older epoch than the assembler's: left over from an abandoned step, drop it. */
    STALE_EPOCH,
    /** Sent under a newer epoch: the receiver has not caught up with the re-plan yet. */
    NEWER_EPOCH,
    /** This index has already arrived. */
    DUPLICATE,
    /** Disagrees with earlier chunks about the chunk count, the total length, or where it lies. */
    INCONSISTENT
  }

  private final Reason reason;

  public ChunkRejectedException(Reason reason, String message) {
    super(reason + ": " + message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
