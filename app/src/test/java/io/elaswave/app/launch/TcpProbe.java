package io.elaswave.app.launch;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A child JVM for the network lab tests ({@code ping} may not be installed): {@code listen ADDR
 * PORT} accepts and closes connections forever after printing {@code READY}; {@code connect ADDR
 * PORT} exits 0 if a connection is made within a second, 1 otherwise.
 */
public final class TcpProbe {
  private TcpProbe() {}

  public static void main(String[] args) throws Exception {
    InetSocketAddress address = new InetSocketAddress(InetAddress.getByName(args[1]), Integer.parseInt(args[2]));
    if (args[0].equals("listen")) {
      ChildGuard.install();
      try (ServerSocket server = new ServerSocket()) {
        server.bind(address);
        System.out.println("READY " + args[1] + ":" + args[2] + " pid=" + ProcessHandle.current().pid());
        while (true) {
          server.accept().close();
        }
      }
    }
    try (Socket socket = new Socket()) {
      socket.connect(address, 1000);
      System.exit(0);
    } catch (java.io.IOException e) {
      System.out.println("no connection: " + e);
      System.exit(1);
    }
  }
}
