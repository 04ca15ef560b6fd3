package io.elaswave.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampleCommandTest {
  @TempDir static Path dir;
  private static String ck;

  @BeforeAll
  static void checkpoint() {
    ck = dir.resolve("ck").toString();
    Cli.ok("train", "--reference", "--model", "tiny", "--steps", "2", "--checkpoint-dir", ck);
  }

  @Test
  void printsTheRequestedNumberOfCharacters() {
    Cli.Result r = Cli.ok("sample", "--checkpoint", ck, "--tokens", "20");
    assertEquals(21, r.out().length(), r.out());
    assertTrue(r.out().endsWith("\n"));
    assertEquals(r.out(), Cli.ok("sample", "--checkpoint", ck, "--tokens", "20").out(), "same seed, same text");
  }

  @Test
  void continuesThePrompt() {
    Cli.Result r = Cli.ok("sample", "--checkpoint", ck, "--prompt", "ROMEO:", "--tokens", "5", "--temperature", "0");
    assertTrue(r.out().startsWith("ROMEO:"), r.out());
    assertEquals("ROMEO:".length() + 5 + 1, r.out().length());
  }

  @Test
  void rejectsBadInput() {
    assertEquals(2, Cli.run("sample", "--checkpoint", ck, "--tokens", "-1").status());
    assertEquals(2, Cli.run("sample", "--checkpoint", ck, "--prompt", "\u00e9").status());
    assertEquals(2, Cli.run("sample", "--tokens", "5").status());
    Cli.Result missing = Cli.run("sample", "--checkpoint", dir.resolve("nope").toString());
    assertEquals(2, missing.status());
    assertTrue(missing.err().startsWith("elaswave: --checkpoint: no checkpoint at"), missing.err());
  }
}
