/**
 * The {@code elaswave} command line: {@code train}, {@code node}, {@code sample}, {@code bench}
 * ({@code runtime}, {@code elastic}) and {@code demo} (in {@link io.elaswave.app.demo}). The
 * commands only turn flags into a validated plan — bad input, a job the planner cannot lay out,
 * more ranks than the nodes host, or a {@code --fault} aimed at a node, rank or step the job does
 * not have, exits with status 2 in one line before any node JVM starts or any output file is
 * opened. A {@link io.elaswave.app.TrainingLoop} then drives a
 * {@link io.elaswave.app.TrainingDriver} — the single-threaded {@link io.elaswave.app.ReferenceDriver}
 * or the actor runtime's {@link io.elaswave.app.RuntimeDriver} (in this JVM, on node JVMs started
 * on loopback by {@link io.elaswave.app.launch.LoopbackCluster}, or on an existing cluster), which
 * carries out the fault script — and reports each committed step and each typed
 * {@link io.elaswave.app.RunEvent} to the terminal and the JSON Lines metrics file, evaluating and
 * checkpointing on schedule.
 */
package io.elaswave.app;
