/**
 * Pipeline schedules as plain lists of operations. A stage's rank executes its list in order,
 * waiting for each operation's input (an activation from the previous stage, or an activation
 * gradient from the next); the list never depends on timing, so every run of a step issues the
 * same work in the same order.
 */
package io.elaswave.planner.schedule;
