package io.elaswave.app.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class FreePortsTest {
  @Test
  void picksDistinctPortsThatCanBeBoundOnLoopback() throws Exception {
    List<Integer> ports = FreePorts.pick(5);

    assertEquals(5, ports.size());
    assertEquals(5, new HashSet<>(ports).size(), ports.toString());
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    for (int port : ports) {
      assertTrue(port > 0 && port < 65536, "port " + port);
      try (ServerSocket socket = new ServerSocket(port, 1, loopback)) {
        assertEquals(port, socket.getLocalPort());
      }
    }
  }

  @Test
  void zeroPortsIsEmptyAndNegativeIsRejected() throws Exception {
    assertEquals(List.of(), FreePorts.pick(0));
    assertThrows(IllegalArgumentException.class, () -> FreePorts.pick(-1));
  }
}
