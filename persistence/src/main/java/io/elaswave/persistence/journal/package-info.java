/**
 * Where the ledger's journal lives, for the runtime to pick: an in-memory journal for one JVM
 * ({@code elaswave-journal-inmem.conf}), or a shared JDBC database that every node reaches
 * ({@code elaswave-journal-jdbc.conf}: an H2 TCP server run by a process that is never killed, or
 * PostgreSQL). {@link io.elaswave.persistence.journal.JournalConfigs} builds either config,
 * {@link io.elaswave.persistence.journal.JournalSchema} creates the tables the JDBC plugin needs
 * (it creates none itself), and {@link io.elaswave.persistence.journal.H2JournalServer} serves an
 * H2 database on loopback.
 */
package io.elaswave.persistence.journal;
