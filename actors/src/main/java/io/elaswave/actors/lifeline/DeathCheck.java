package io.elaswave.actors.lifeline;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Confirms that a node is dead, not slow or cut off (research notes §1.7): on this machine its
 * process must be gone; elsewhere a TCP connect to its port must be refused. A timeout proves
 * nothing (a partition, or a stalled host), so it is not death: the split-brain resolver decides.
 */
public final class DeathCheck {
  private static final int CONNECT_TIMEOUT_MILLIS = 300;
  private static final long POLL_NANOS = 1_000_000;

  private DeathCheck() {}

  /** Evidence of death, or null when the node may be alive. Blocking; run off any actor's thread. */
  public static String evidence(long pid, String address) {
    int colon = address.lastIndexOf(':');
    String host = address.substring(0, colon);
    int port = Integer.parseInt(address.substring(colon + 1));
    if (isLocal(host)) {
      return processGone(pid) ? "process " + pid + " is gone" : null;
    }
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MILLIS);
      return null;
    } catch (ConnectException e) {
      return "connection to " + address + " refused";
    } catch (IOException e) {
      return null; // a timeout or an unreachable route: cut off, not proven dead
    }
  }

  /**
   * As {@link #evidence}, asked again every millisecond for up to {@code patience}: a process
   * whose sockets the kernel just closed may still be exiting for a moment. Blocking.
   */
  public static String awaitEvidence(long pid, String address, Duration patience) {
    long deadline = System.nanoTime() + patience.toNanos();
    while (true) {
      String evidence = evidence(pid, address);
      if (evidence != null || System.nanoTime() - deadline >= 0) {
        return evidence;
      }
      java.util.concurrent.locks.LockSupport.parkNanos(POLL_NANOS); // a bounded poll of the kernel's state
    }
  }

  /** No such process, or one the kernel has already torn down (a zombie its parent has not reaped). */
  static boolean processGone(long pid) {
    if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
      return true;
    }
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      int end = stat.lastIndexOf(')'); // the command name may hold spaces and parentheses
      char state = end > 0 && end + 2 < stat.length() ? stat.charAt(end + 2) : '?';
      return state == 'Z' || state == 'X';
    } catch (IOException e) {
      return !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false); // gone since, or no /proc
    }
  }

  static boolean isLocal(String host) {
    try {
      InetAddress a = InetAddress.getByName(host);
      return a.isLoopbackAddress() || a.isAnyLocalAddress() || NetworkInterface.getByInetAddress(a) != null;
    } catch (IOException e) {
      return false;
    }
  }
}
