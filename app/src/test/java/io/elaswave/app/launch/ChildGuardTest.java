package io.elaswave.app.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class ChildGuardTest {
  @TempDir Path dir;

  @Test
  void grandchildHaltsWhenItsLauncherIsSigkilled() throws Exception {
    String grandchildLog = dir.resolve("grandchild.log").toString();
    NodeProcessSpec spec = EchoNode.spec("child", dir, "spawn", grandchildLog);
    try (NodeProcess child = NodeProcess.start(spec)) {
      String ready = child.awaitReady(Duration.ofSeconds(25));
      ProcessHandle grandchild =
          ProcessHandle.of(Long.parseLong(ready.substring("READY grandchild=".length())))
              .orElseThrow();
      try {
        assertEquals(child.pid(), grandchild.parent().orElseThrow().pid());

        child.kill();

        grandchild.onExit().get(10, TimeUnit.SECONDS);
        assertFalse(grandchild.isAlive());
      } finally {
        grandchild.destroyForcibly(); // only matters if the guard failed: leave no orphan
      }
    }
  }

  @Test
  void stdinWatcherHandsOverEachLineThenReportsEndOfFile() throws Exception {
    List<String> lines = new CopyOnWriteArrayList<>();
    CountDownLatch eof = new CountDownLatch(1);
    ByteArrayInputStream in =
        new ByteArrayInputStream("a\nbad\nb\n".getBytes(StandardCharsets.UTF_8));

    ChildGuard.watchStdin(
        in,
        line -> {
          if (line.equals("bad")) {
            throw new IllegalStateException("handler bug");
          }
          lines.add(line);
        },
        eof::countDown);

    assertTrue(eof.await(5, TimeUnit.SECONDS));
    assertEquals(List.of("a", "b"), lines);
  }

  @Test
  void parentWatcherFiresOnceWhenTheParentIsGone() throws Exception {
    AtomicBoolean gone = new AtomicBoolean();
    AtomicInteger fired = new AtomicInteger();
    CountDownLatch firedOnce = new CountDownLatch(1);
    ScheduledExecutorService watcher =
        ChildGuard.watchParent(
            gone::get,
            Duration.ofMillis(10),
            () -> {
              fired.incrementAndGet();
              firedOnce.countDown();
            });

    assertFalse(firedOnce.await(50, TimeUnit.MILLISECONDS));
    gone.set(true);

    assertTrue(firedOnce.await(5, TimeUnit.SECONDS));
    assertTrue(watcher.awaitTermination(5, TimeUnit.SECONDS));
    assertEquals(1, fired.get());
  }

  @Test
  void parentIsGoneOnceItIsNoLongerTheLauncher() {
    long parent = ProcessHandle.current().parent().orElseThrow().pid();

    assertFalse(ChildGuard.parentGone(parent));
    assertTrue(ChildGuard.parentGone(ProcessHandle.current().pid()));
  }

  @Test
  void launcherPidComesFromTheSystemProperty() {
    Properties properties = new Properties();
    assertEquals(OptionalLong.empty(), ChildGuard.launcherPid(properties));

    properties.setProperty(ChildGuard.LAUNCHER_PID_PROPERTY, "4242");
    assertEquals(OptionalLong.of(4242), ChildGuard.launcherPid(properties));

    properties.setProperty(ChildGuard.LAUNCHER_PID_PROPERTY, "abc");
    assertThrows(IllegalArgumentException.class, () -> ChildGuard.launcherPid(properties));
  }

  @Test
  void installIsInertInAJvmNotStartedByTheLauncher() {
    // Guarding this JVM would steal Surefire's stdin; the property is what keeps it inert.
    assumeTrue(System.getProperty(ChildGuard.LAUNCHER_PID_PROPERTY) == null);

    assertFalse(ChildGuard.install());
  }
}
