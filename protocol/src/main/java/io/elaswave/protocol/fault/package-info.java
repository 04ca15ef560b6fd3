/**
 * Faults to inject into a run: {@link io.elaswave.protocol.fault.Fault} and its one parser,
 * shared by the CLI, the demo, the benchmarks and the multi-node scenarios.
 */
package io.elaswave.protocol.fault;
