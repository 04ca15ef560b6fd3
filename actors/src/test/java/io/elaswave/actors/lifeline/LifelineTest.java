package io.elaswave.actors.lifeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Lifelines end when either side's process dies, and only a well-formed hello is ever reported. */
class LifelineTest {
  private static final String HOST = "127.0.0.1";

  @Test
  @Timeout(30)
  void aKilledProcessEndsItsLifelineAndIsProvenDead() throws Exception {
    LinkedBlockingQueue<LifelineHello> ended = new LinkedBlockingQueue<>();
    try (LifelineServer server = LifelineServer.open(HOST, ended::add)) {
      // a real process holds the socket: the kernel closes it when the process is killed
      Process p = new ProcessBuilder("bash", "-c", "exec 3<>/dev/tcp/" + HOST + "/" + server.port()
          + "; printf '" + LifelineHello.MAGIC + " %s 127.0.0.1:9\\n' $$ >&3; exec sleep 60").start();
      waitForOpenLink(server);
      assertTrue(ended.isEmpty(), "nothing ends while the process lives");
      long killed = System.nanoTime();
      p.destroyForcibly();
      LifelineHello h = ended.poll(10, TimeUnit.SECONDS);
      assertNotNull(h, "the lifeline's end was reported");
      assertEquals(p.pid(), h.pid());
      assertNotNull(DeathCheck.awaitEvidence(h.pid(), h.address(), Duration.ofSeconds(5)), "the death is proven");
      System.out.printf("lifeline end seen %.1f ms after the kill%n", (System.nanoTime() - killed) / 1e6);
    }
  }

  @Test
  @Timeout(30)
  void theDiallerHearsTheListenersEnd() throws Exception {
    CountDownLatch closed = new CountDownLatch(1);
    LinkedBlockingQueue<LifelineHello> ended = new LinkedBlockingQueue<>();
    LifelineServer server = LifelineServer.open(HOST, ended::add);
    LifelineLink link = LifelineLink.dial(HOST, server.port(), new LifelineHello(4242, "127.0.0.1:25520"),
        closed::countDown);
    waitForOpenLink(server);
    server.close();
    assertTrue(closed.await(10, TimeUnit.SECONDS), "the dialler heard the end");
    assertFalse(link.failed());
    assertNull(ended.poll(200, TimeUnit.MILLISECONDS), "a listener that closes itself reports nothing");
  }

  @Test
  @Timeout(30)
  void aDiallersEndReportsItsHelloButAStrangersBytesReportNothing() throws Exception {
    LinkedBlockingQueue<LifelineHello> ended = new LinkedBlockingQueue<>();
    try (LifelineServer server = LifelineServer.open(HOST, ended::add)) {
      for (String junk : new String[] {"GET / HTTP/1.1\n", "elaswave-lifeline/1 -5 127.0.0.1:1\n",
          "elaswave-lifeline/1 7 host-without-port\n", "x".repeat(4000)}) {
        try (Socket stranger = new Socket(HOST, server.port())) {
          OutputStream out = stranger.getOutputStream();
          out.write(junk.getBytes(StandardCharsets.US_ASCII));
          out.flush();
        }
      }
      LifelineLink link = LifelineLink.dial(HOST, server.port(), new LifelineHello(4242, "127.0.0.1:25520"), () -> {});
      waitForOpenLink(server);
      link.close();
      LifelineHello h = ended.poll(10, TimeUnit.SECONDS);
      assertEquals(new LifelineHello(4242, "127.0.0.1:25520"), h, "the first end reported is the real dialler's");
      assertNull(ended.poll(200, TimeUnit.MILLISECONDS));
    }
  }

  @Test
  void aLinkToNothingFailsQuietly() throws Exception {
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    CountDownLatch closed = new CountDownLatch(1);
    LifelineLink link = LifelineLink.dial(HOST, port, new LifelineHello(1, "127.0.0.1:1"), closed::countDown);
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!link.failed() && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertTrue(link.failed(), "a refused dial is a failed link");
    assertFalse(closed.await(100, TimeUnit.MILLISECONDS), "and never an end");
  }

  @Test
  void helloRejectsWhatIsNotOne() {
    assertEquals(new LifelineHello(7, "10.0.0.1:2552"), LifelineHello.parse("elaswave-lifeline/1 7 10.0.0.1:2552"));
    assertThrows(IllegalArgumentException.class, () -> LifelineHello.parse("elaswave-lifeline/2 7 10.0.0.1:2552"));
    assertThrows(IllegalArgumentException.class, () -> LifelineHello.parse("elaswave-lifeline/1 x 10.0.0.1:2552"));
    assertThrows(IllegalArgumentException.class, () -> LifelineHello.parse("elaswave-lifeline/1 7 10.0.0.1:0"));
    assertThrows(IllegalArgumentException.class, () -> LifelineHello.parse("elaswave-lifeline/1 7 a b:1"));
  }

  @Test
  void aLiveProcessIsNotDeadAndAnEndedOneIs() throws Exception {
    assertNull(DeathCheck.evidence(ProcessHandle.current().pid(), "127.0.0.1:1"));
    Process p = new ProcessBuilder("sleep", "60").start();
    p.destroyForcibly().waitFor();
    assertNotNull(DeathCheck.evidence(p.pid(), "127.0.0.1:1"));
  }

  /** Bounded poll: the server has accepted and read a hello (a link counts as open from then). */
  private static void waitForOpenLink(LifelineServer server) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (server.held() == 0 && System.nanoTime() < deadline) {
      Thread.sleep(5); // polling a condition with a deadline, not a synchronisation by time
    }
    assertEquals(1, server.held(), "the link is held");
  }
}
