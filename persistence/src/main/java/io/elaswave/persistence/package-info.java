/**
 * The durable history of one training job (DESIGN.md §3 "persistence", §5): which layouts were
 * adopted and which steps were committed, kept by the event-sourced {@link
 * io.elaswave.persistence.JobLedger} so that a scheduler singleton restarted on another node
 * recovers where the job stood. Events and the snapshot state are records marked {@link
 * io.elaswave.persistence.LedgerSerializable} and stored with Jackson (CBOR), a format that
 * outlives code changes; commands and their {@link io.elaswave.persistence.Ack} replies are
 * transient messages on the project's Kryo binding, with ids from {@link
 * io.elaswave.persistence.LedgerMessages}. State changes only through pure {@code apply} methods
 * of {@link io.elaswave.persistence.LedgerState}, so replay is the same code as the live path.
 */
package io.elaswave.persistence;
