/**
 * Starts child JVMs on loopback and makes sure none outlives its launcher. A {@link
 * io.elaswave.app.launch.NodeProcess} runs one child from a {@link
 * io.elaswave.app.launch.NodeProcessSpec}, pumps its merged output into a log file and a
 * listener, and waits for the child's readiness line ({@code READY ...}); it can SIGKILL the
 * child (recording the instant, for recovery-time measurements) or stop it with SIGTERM first.
 * A {@link io.elaswave.app.launch.LocalCluster} owns several of them and one JVM shutdown hook
 * that SIGKILLs them all, so Ctrl-C or a crash of the launcher's code leaves no child behind.
 * The launcher's own SIGKILL runs no hook, so the child side calls {@link
 * io.elaswave.app.launch.ChildGuard#install()} first thing: it halts the child when its stdin
 * pipe reaches end-of-file (the launcher died, or closed it on purpose) or its parent process is
 * gone. The launcher therefore keeps every child's stdin open for the child's whole life.
 *
 * <p>{@link io.elaswave.app.launch.LoopbackCluster} is the one launcher of elaswave node JVMs on
 * this machine ({@code train --nodes}, the demo, {@code bench elastic}, the multi-node tests):
 * from {@link io.elaswave.app.launch.LoopbackSettings} it builds every node's spec and JVM
 * options, picks free ports, starts the nodes (node-0 is the seed) and hosts the job ledger's H2
 * journal server unless the settings name another journal. A node can also be frozen (SIGSTOP,
 * SIGCONT) and, when the settings put the nodes in a {@link io.elaswave.app.launch.NetworkLab}
 * (root: a network namespace per node on a private bridge), cut off and healed. With CPU
 * budgets ({@link io.elaswave.app.launch.NodeBudgets}, root) each node's JVM runs in a control
 * group of its own ({@link io.elaswave.app.launch.BudgetGroups}, cgroup v1 or v2 through {@link
 * io.elaswave.app.launch.CpuGroups}), an emulated accelerator whose quota a {@code slow} fault
 * rewrites; groups are removed after every kind of end, a watchdog covering a SIGKILLed launcher.
 */
package io.elaswave.app.launch;
