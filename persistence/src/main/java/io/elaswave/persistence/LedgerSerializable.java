package io.elaswave.persistence;

/**
 * Marker for what the ledger stores: events and the snapshot state. This module's
 * {@code reference.conf} binds it to Pekko's {@code jackson-cbor} serializer, because stored bytes
 * live as long as the journal and Jackson reads them back by property name after the classes
 * change, where Kryo's positional field layout and class ids would not.
 */
public interface LedgerSerializable {}
