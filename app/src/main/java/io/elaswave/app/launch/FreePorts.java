package io.elaswave.app.launch;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * Free TCP ports on 127.0.0.1, picked by the kernel. A port is only known to be free at the moment
 * it is picked: another process may take it before the child binds it. That is rare on a test
 * machine and shows up as a bind error in the child's log.
 */
public final class FreePorts {
  private static final byte[] LOOPBACK = {127, 0, 0, 1};

  private FreePorts() {}

  /** {@code n} distinct ports. Every socket stays bound until all are picked, so none repeats. */
  public static List<Integer> pick(int n) throws IOException {
    if (n < 0) {
      throw new IllegalArgumentException("port count must be >= 0, got " + n);
    }
    List<ServerSocket> sockets = new ArrayList<>(n);
    List<Integer> ports = new ArrayList<>(n);
    IOException failure = null;
    try {
      InetAddress loopback = InetAddress.getByAddress(LOOPBACK);
      for (int i = 0; i < n; i++) {
        ServerSocket socket = new ServerSocket(0, 1, loopback);
        sockets.add(socket);
        ports.add(socket.getLocalPort());
      }
    } catch (IOException e) {
      failure = e;
    }
    for (ServerSocket socket : sockets) {
      try {
        socket.close();
      } catch (IOException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
    return List.copyOf(ports);
  }
}
