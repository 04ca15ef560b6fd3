/**
 * The frequency axis, pure: a node's clock range ({@link io.elaswave.planner.frequency.ClockRange}),
 * the power model that turns busy and idle time at a clock into joules
 * ({@link io.elaswave.planner.frequency.PowerModel}), the governor's mode
 * ({@link io.elaswave.planner.frequency.FrequencyMode}), and the planner that chooses every
 * node's clock for a layout from the measured stage costs and the 1F1B schedule
 * ({@link io.elaswave.planner.frequency.ClockPlanner}). Clocks change time, never a bit.
 */
package io.elaswave.planner.frequency;
