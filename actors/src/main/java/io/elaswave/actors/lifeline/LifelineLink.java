package io.elaswave.actors.lifeline;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * The dialling end of one lifeline: connects to a node's {@link LifelineServer}, says hello, and
 * waits on its own thread for the end. {@code onClosed} runs once, when a connected lifeline
 * ends by the far side (its process died, or it closed it); never after {@link #close()}, and
 * never for a connect that failed — then {@link #failed()} is true and the dialler may try again.
 */
public final class LifelineLink implements AutoCloseable {
  private static final int CONNECT_TIMEOUT_MILLIS = 300;

  private final Socket socket = new Socket();
  private volatile boolean closing;
  private volatile boolean failed;

  private LifelineLink() {}

  /** Dials {@code host:port} in the background. */
  public static LifelineLink dial(String host, int port, LifelineHello hello, Runnable onClosed) {
    LifelineLink link = new LifelineLink();
    LifelineServer.daemon(() -> link.run(host, port, hello, onClosed), "elaswave-lifeline-to-" + host + ":" + port)
        .start();
    return link;
  }

  private void run(String host, int port, LifelineHello hello, Runnable onClosed) {
    try {
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MILLIS);
      socket.getOutputStream().write(hello.bytes());
      socket.getOutputStream().flush();
    } catch (IOException e) {
      failed = true;
      close();
      return;
    }
    try {
      InputStream in = socket.getInputStream();
      byte[] ignored = new byte[64];
      while (in.read(ignored) >= 0) {
        // the far side sends nothing; only its end matters
      }
    } catch (IOException e) {
      // reset: the far side's kernel ended it
    }
    if (!closing) {
      close();
      onClosed.run();
    }
  }

  /** The dial did not connect; nothing will be reported. */
  public boolean failed() {
    return failed;
  }

  @Override public void close() {
    closing = true;
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }
}
