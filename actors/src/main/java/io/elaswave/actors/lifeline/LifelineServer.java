package io.elaswave.actors.lifeline;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's end of its lifelines: a plain TCP listener the scheduler dials. Nothing flows after
 * the hello; the connection's only news is its end. When a process dies its kernel closes its
 * sockets at once, so end-of-stream here is the first sign that the dialler died — a sign, not
 * proof: {@code onClosed} hears the hello and must confirm the death ({@link DeathCheck}).
 */
public final class LifelineServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LifelineServer.class);
  /** A dialler that says nothing this long is not one of ours. */
  private static final int HELLO_TIMEOUT_MILLIS = 2000;
  /** More lifelines than any cluster of ours dials; a flood beyond is refused. */
  private static final int MAX_OPEN = 256;

  private final ServerSocket server;
  private final Consumer<LifelineHello> onClosed;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final Set<Socket> held = ConcurrentHashMap.newKeySet();
  private volatile boolean closing;

  private LifelineServer(ServerSocket server, Consumer<LifelineHello> onClosed) {
    this.server = server;
    this.onClosed = onClosed;
  }

  /** Listens on an ephemeral port of {@code host}; {@code onClosed} runs on a lifeline's own thread. */
  public static LifelineServer open(String host, Consumer<LifelineHello> onClosed) throws IOException {
    ServerSocket server = new ServerSocket();
    server.bind(new InetSocketAddress(InetAddress.getByName(host), 0), 16);
    LifelineServer s = new LifelineServer(server, onClosed);
    daemon(s::acceptLoop, "elaswave-lifeline-accept").start();
    return s;
  }

  public int port() {
    return server.getLocalPort();
  }

  /** Lifelines whose hello has been read and which are still open. */
  public int held() {
    return held.size();
  }

  private void acceptLoop() {
    while (!closing) {
      try {
        Socket socket = server.accept();
        if (open.size() >= MAX_OPEN) {
          socket.close();
          continue;
        }
        open.add(socket);
        daemon(() -> hold(socket), "elaswave-lifeline-" + socket.getPort()).start();
      } catch (IOException e) {
        if (!closing) {
          LOG.warn("lifeline listener failed: {}", e.toString());
        }
        return;
      }
    }
  }

  /** Reads the hello, then waits for the end; a stranger or a garbled hello is dropped unheard. */
  private void hold(Socket socket) {
    LifelineHello hello;
    try (socket) {
      try {
        socket.setSoTimeout(HELLO_TIMEOUT_MILLIS);
        hello = LifelineHello.parse(readLine(socket.getInputStream()));
        socket.setSoTimeout(0);
        held.add(socket);
      } catch (IOException | IllegalArgumentException e) {
        LOG.debug("lifeline from {} dropped: {}", socket.getRemoteSocketAddress(), e.getMessage());
        return;
      }
      try {
        byte[] ignored = new byte[64];
        while (socket.getInputStream().read(ignored) >= 0) {
          // nothing is sent after the hello; bytes from a confused peer are ignored until it closes
        }
      } catch (IOException e) {
        // reset by the peer's kernel: as much an end as a FIN
      }
    } catch (IOException e) {
      LOG.debug("lifeline close: {}", e.toString());
      return;
    } finally {
      open.remove(socket);
      held.remove(socket);
    }
    if (!closing) {
      onClosed.accept(hello);
    }
  }

  private static String readLine(InputStream in) throws IOException {
    byte[] line = new byte[LifelineHello.MAX_BYTES];
    for (int n = 0; n < line.length; n++) {
      int b = in.read();
      if (b < 0) {
        throw new IllegalArgumentException("closed before its hello");
      }
      if (b == '\n') {
        return new String(line, 0, n, StandardCharsets.US_ASCII);
      }
      line[n] = (byte) b;
    }
    throw new IllegalArgumentException("hello longer than " + LifelineHello.MAX_BYTES + " bytes");
  }

  static Thread daemon(Runnable body, String name) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    return t;
  }

  @Override public void close() {
    closing = true;
    try {
      server.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    for (Socket s : open) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }
}
