package io.elaswave.actors.scheduler;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * Confirms that a silent node is dead, not slow (research notes §1.7): on this machine its
 * process must be gone; elsewhere a TCP connect to its port must be refused. A timeout proves
 * nothing (a partition, or a stalled host), so it is not death: the split-brain resolver decides.
 */
final class DeathCheck {
  private static final int CONNECT_TIMEOUT_MILLIS = 300;

  private DeathCheck() {}

  /** Evidence of death, or null when the node may be alive. Blocking; run off the actor thread. */
  static String evidence(long pid, String address) {
    int colon = address.lastIndexOf(':');
    String host = address.substring(0, colon);
    int port = Integer.parseInt(address.substring(colon + 1));
    if (isLocal(host)) {
      return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) ? null : "process " + pid + " is gone";
    }
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MILLIS);
      return null;
    } catch (ConnectException e) {
      return "connection to " + address + " refused";
    } catch (SocketTimeoutException e) {
      return null;
    } catch (IOException e) {
      return null;
    }
  }

  private static boolean isLocal(String host) {
    try {
      InetAddress a = InetAddress.getByName(host);
      return a.isLoopbackAddress() || a.isAnyLocalAddress()
          || java.net.NetworkInterface.getByInetAddress(a) != null;
    } catch (IOException e) {
      return false;
    }
  }
}
