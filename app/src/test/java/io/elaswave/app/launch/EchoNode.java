package io.elaswave.app.launch;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * A tiny child JVM for the launcher tests; the first argument picks what it does.
 *
 * <ul>
 *   <li>{@code ready [port]}: guard, bind the port (0: any), print {@code READY
 *       127.0.0.1:<port> pid=<pid>}, answer {@code echo X} on stdin with {@code ECHO X}, print
 *       {@code BYE} from a shutdown hook (so SIGTERM is visible), block
 *   <li>{@code stubborn [port]}: like {@code ready}, but its shutdown hook never returns, so only
 *       SIGKILL ends it
 *   <li>{@code unguarded}: like {@code ready} without {@link ChildGuard}, an orphan if nobody kills
 *       it
 *   <li>{@code silent}: guard, print a line, never become ready
 *   <li>{@code die <code>}: print two lines and exit with the code before becoming ready
 *   <li>{@code spawn <log>}: guard, start a guarded {@code ready} grandchild, print {@code READY
 *       grandchild=<pid>}, block
 *   <li>{@code spin}: guard, start two threads that burn CPU without end, print {@code READY
 *       spin pid=<pid>}, block: the busiest child a CPU budget can hold
 *   <li>{@code host-jit}: guard, move its JIT compiler threads out of its budget
 *       ({@link HostThreads}), print {@code READY} and what moved, block
 *   <li>{@code crash <log>}: start an unguarded grandchild in a {@link LocalCluster}, print {@code
 *       READY grandchild=<pid>}, then throw from {@code main}, leaving it to the cluster's
 *       shutdown hook
 * </ul>
 */
public final class EchoNode {
  static final List<String> FAST_JVM =
      List.of("-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

  private EchoNode() {}

  public static void main(String[] args) throws Exception {
    String mode = args.length > 0 ? args[0] : "ready";
    switch (mode) {
      case "ready" -> serve(true, port(args), false);
      case "stubborn" -> serve(true, port(args), true);
      case "unguarded" -> serve(false, 0, false);
      case "silent" -> {
        ChildGuard.install();
        System.out.println("warming up");
        blockForever();
      }
      case "die" -> {
        System.out.println("starting");
        System.err.println("fatal: boom");
        System.exit(Integer.parseInt(args[1]));
      }
      case "spawn" -> spawn(Path.of(args[1]));
      case "crash" -> crash(Path.of(args[1]));
      case "spin" -> spin();
      case "host-jit" -> {
        ChildGuard.install();
        System.out.println("READY " + HostThreads.releaseCompilers(CpuGroups.detect()));
        blockForever();
      }
      default -> throw new IllegalArgumentException("unknown mode " + mode);
    }
  }

  /** A spec for this class as a child, with JVM flags that start it fast. */
  static NodeProcessSpec spec(String name, Path dir, String... args) {
    return NodeProcessSpec.of(name, EchoNode.class.getName(), dir.resolve(name + ".log"))
        .withJvmOptions(FAST_JVM)
        .withArgs(args);
  }

  private static void serve(boolean guarded, int port, boolean stubborn) throws Exception {
    if (guarded) {
      ChildGuard.install(EchoNode::command);
    }
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  if (stubborn) {
                    System.out.println("IGNORING SIGTERM");
                    blockForeverUninterruptibly();
                  }
                  System.out.println("BYE");
                }));
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      System.out.println(
          "READY 127.0.0.1:" + socket.getLocalPort() + " pid=" + ProcessHandle.current().pid());
      blockForever();
    }
  }

  private static void command(String line) {
    if (line.startsWith("echo ")) {
      System.out.println("ECHO " + line.substring("echo ".length()));
    }
  }

  private static void spawn(Path grandchildLog) throws Exception {
    ChildGuard.install();
    NodeProcess grandchild =
        NodeProcess.start(spec("grandchild", grandchildLog.getParent(), "ready")
            .withLogFile(grandchildLog));
    grandchild.awaitReady(Duration.ofSeconds(30));
    System.out.println("READY grandchild=" + grandchild.pid());
    blockForever();
  }

  private static void crash(Path grandchildLog) throws Exception {
    LocalCluster cluster =
        new LocalCluster(Duration.ofSeconds(30), Duration.ofSeconds(1), (node, line) -> {});
    NodeProcess grandchild =
        cluster.start(spec("grandchild", grandchildLog.getParent(), "unguarded")
            .withLogFile(grandchildLog));
    System.out.println("READY grandchild=" + grandchild.pid());
    throw new IllegalStateException("launcher crashed with its cluster open");
  }

  private static void spin() throws InterruptedException {
    ChildGuard.install();
    for (int i = 0; i < 2; i++) {
      Thread burner = new Thread(() -> {
        long x = 0;
        while (!Thread.currentThread().isInterrupted()) {
          x = x * 6364136223846793005L + 1442695040888963407L;
        }
        System.out.println(x);
      }, "burner-" + i);
      burner.setDaemon(true);
      burner.start();
    }
    System.out.println("READY spin pid=" + ProcessHandle.current().pid());
    blockForever();
  }

  private static int port(String[] args) {
    return args.length > 1 ? Integer.parseInt(args[1]) : 0;
  }

  private static void blockForever() throws InterruptedException {
    new CountDownLatch(1).await();
  }

  private static void blockForeverUninterruptibly() {
    CountDownLatch never = new CountDownLatch(1);
    while (true) {
      try {
        never.await();
      } catch (InterruptedException e) {
        // Keep blocking: this hook stands for a child that ignores SIGTERM.
      }
    }
  }
}
