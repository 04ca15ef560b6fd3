/**
 * The {@code elaswave} command line: {@code train} and {@code sample}. The commands only turn
 * flags into a validated plan; a {@link io.elaswave.app.TrainingLoop} then drives any
 * {@link io.elaswave.app.TrainingDriver} (today the single-threaded reference trainer) and
 * reports each committed step to the terminal and the JSON Lines metrics file, evaluating and
 * checkpointing on schedule. Bad input exits with status 2 before any output file is opened.
 */
package io.elaswave.app;
