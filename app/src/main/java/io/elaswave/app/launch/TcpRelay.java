package io.elaswave.app.launch;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Forwards TCP connections from {@code bindAddress:<free port>} to {@code 127.0.0.1:target}. It
 * lets node JVMs in a {@link NetworkLab} reach the H2 journal server hosted here, which stays on
 * loopback and refuses other hosts (H2 reads its bind address once per JVM, so it cannot be moved
 * for one cluster; through the relay every connection arrives from loopback).
 */
final class TcpRelay implements AutoCloseable {
  private final ServerSocket server;
  private final int target;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();

  private TcpRelay(ServerSocket server, int target) {
    this.server = server;
    this.target = target;
  }

  static TcpRelay start(String bindAddress, int target) throws IOException {
    ServerSocket server = new ServerSocket();
    server.bind(new InetSocketAddress(InetAddress.getByName(bindAddress), 0));
    TcpRelay relay = new TcpRelay(server, target);
    daemon(relay::acceptLoop, "elaswave-journal-relay");
    return relay;
  }

  int port() {
    return server.getLocalPort();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      Socket in;
      try {
        in = server.accept();
      } catch (IOException e) {
        return; // closed
      }
      try {
        Socket out = new Socket(InetAddress.getLoopbackAddress(), target);
        open.add(in);
        open.add(out);
        daemon(() -> pump(in, out), "elaswave-journal-relay-up");
        daemon(() -> pump(out, in), "elaswave-journal-relay-down");
      } catch (IOException e) {
        closeQuietly(in); // the journal is gone: the node sees its connection fail
      }
    }
  }

  /** Copies until either side closes, then closes both, so the peer sees the end too. */
  private void pump(Socket from, Socket to) {
    byte[] buffer = new byte[16 * 1024];
    try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // a reset or a closed socket: the connection is over either way
    } finally {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  @Override public void close() {
    try {
      server.close();
    } catch (IOException e) {
      // closing anyway
    }
    open.forEach(this::closeQuietly);
  }

  private void closeQuietly(Socket s) {
    open.remove(s);
    try {
      s.close();
    } catch (IOException e) {
      // already closed
    }
  }

  private static void daemon(Runnable task, String name) {
    Thread t = new Thread(task, name);
    t.setDaemon(true);
    t.start();
  }
}
