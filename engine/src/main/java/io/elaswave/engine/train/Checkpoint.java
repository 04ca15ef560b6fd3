package io.elaswave.engine.train;

import io.elaswave.engine.data.CharVocab;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Properties;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * A durable checkpoint: the full training state (parameters, AdamW moments, step), the training
 * config and the vocabulary, in {@code <root>/step-<N>/state.bin} with a CRC32C trailer. Written
 * to a temporary directory and renamed into place, so a crash never leaves a half checkpoint;
 * {@code <root>/latest} names the newest one.
 */
public record Checkpoint(TrainConfig config, String vocab, TrainState state) {
  private static final long MAGIC = 0x454c574b50543031L; // "ELWKPT01"
  private static final int VERSION = 1;
  private static final String STATE_FILE = "state.bin";
  private static final String LATEST_FILE = "latest";

  /** Writes this checkpoint under {@code root} and points {@code latest} at it; returns its directory. */
  public Path write(Path root) {
    String name = String.format("step-%06d", state.step());
    Path target = root.resolve(name);
    try {
      Files.createDirectories(root);
      Path tmp = Files.createTempDirectory(root, name + ".tmp-");
      writeState(tmp.resolve(STATE_FILE));
      Path replaced = null;
      if (Files.exists(target)) { // keep the old one until the new one is in place
        replaced = root.resolve(name + ".old-" + System.nanoTime());
        move(target, replaced);
      }
      move(tmp, target);
      if (replaced != null) {
        deleteTree(replaced);
      }
      Path latestTmp = Files.createTempFile(root, LATEST_FILE, ".tmp");
      Files.writeString(latestTmp, name + "\n", StandardCharsets.UTF_8);
      move(latestTmp, root.resolve(LATEST_FILE));
      return target;
    } catch (IOException e) {
      throw new CheckpointException("cannot write checkpoint " + target + ": " + e.getMessage(), e);
    }
  }

  /** Reads a checkpoint directory, or the newest one under a root that has a {@code latest} file. */
  public static Checkpoint read(Path path) {
    Path dir = resolve(path);
    Path file = dir.resolve(STATE_FILE);
    CRC32C crc = new CRC32C();
    try (InputStream raw = Files.newInputStream(file);
        CheckedInputStream checked = new CheckedInputStream(new BufferedInputStream(raw, 1 << 16), crc)) {
      DataInputStream in = new DataInputStream(checked);
      if (in.readLong() != MAGIC) {
        throw new CheckpointException(file + " is not an elaswave checkpoint (bad magic)");
      }
      int version = in.readInt();
      if (version != VERSION) {
        throw new CheckpointException(file + " has format version " + version + ", expected " + VERSION);
      }
      TrainConfig config = TrainConfig.fromProperties(parse(readString(in)));
      String vocab = readString(in);
      CharVocab.fromChars(vocab);
      long step = in.readLong();
      int layers = in.readInt();
      if (layers <= 0 || layers > 10_000) {
        throw new CheckpointException(file + " is corrupt (layer count " + layers + ")");
      }
      float[][] params = new float[layers][];
      float[][] m = new float[layers][];
      float[][] v = new float[layers][];
      for (int l = 0; l < layers; l++) {
        int n = in.readInt();
        if (n < 0 || n > (1 << 28)) {
          throw new CheckpointException(file + " is corrupt (layer " + l + " size " + n + ")");
        }
        params[l] = readFloats(in, n);
        m[l] = readFloats(in, n);
        v[l] = readFloats(in, n);
      }
      long expected = crc.getValue();
      long stored = in.readLong();
      if (stored != expected || in.read() != -1) {
        throw new CheckpointException(file + " is corrupt (checksum mismatch)");
      }
      return new Checkpoint(config, vocab, new TrainState(step, params, m, v));
    } catch (EOFException e) {
      throw new CheckpointException(file + " is truncated", e);
    } catch (IllegalArgumentException e) {
      throw new CheckpointException(file + " is corrupt: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new CheckpointException("cannot read checkpoint " + file + ": " + e.getMessage(), e);
    }
  }

  private static Path resolve(Path path) {
    if (Files.isRegularFile(path.resolve(STATE_FILE))) {
      return path;
    }
    Path latest = path.resolve(LATEST_FILE);
    if (Files.isRegularFile(latest)) {
      try {
        return path.resolve(Files.readString(latest, StandardCharsets.UTF_8).trim());
      } catch (IOException e) {
        throw new CheckpointException("cannot read " + latest + ": " + e.getMessage(), e);
      }
    }
    throw new CheckpointException("no checkpoint at " + path + " (expected " + STATE_FILE + " or " + LATEST_FILE + ")");
  }

  private void writeState(Path file) throws IOException {
    CRC32C crc = new CRC32C();
    try (OutputStream raw = Files.newOutputStream(file);
        CheckedOutputStream checked = new CheckedOutputStream(new BufferedOutputStream(raw, 1 << 16), crc)) {
      DataOutputStream out = new DataOutputStream(checked);
      out.writeLong(MAGIC);
      out.writeInt(VERSION);
      writeString(out, format(config.toProperties()));
      writeString(out, vocab);
      out.writeLong(state.step());
      out.writeInt(state.params().length);
      for (int l = 0; l < state.params().length; l++) {
        out.writeInt(state.params()[l].length);
        writeFloats(out, state.params()[l]);
        writeFloats(out, state.m()[l]);
        writeFloats(out, state.v()[l]);
      }
      out.flush();
      long sum = crc.getValue();
      new DataOutputStream(raw).writeLong(sum); // the trailer itself is not summed
    }
    try (var channel = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
      channel.force(true);
    }
  }

  private static void writeFloats(DataOutputStream out, float[] values) throws IOException {
    for (float f : values) {
      out.writeInt(Float.floatToRawIntBits(f));
    }
  }

  private static float[] readFloats(DataInputStream in, int n) throws IOException {
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = Float.intBitsToFloat(in.readInt());
    }
    return out;
  }

  private static void writeString(DataOutputStream out, String s) throws IOException {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  private static String readString(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > (1 << 20)) {
      throw new IOException("corrupt string length " + n);
    }
    return new String(in.readNBytes(n), StandardCharsets.UTF_8);
  }

  private static String format(Properties p) {
    StringWriter w = new StringWriter();
    p.stringPropertyNames().stream().sorted().forEach(k -> w.append(k).append('=').append(p.getProperty(k))
        .append('\n'));
    return w.toString();
  }

  private static Properties parse(String text) throws IOException {
    Properties p = new Properties();
    p.load(new StringReader(text));
    return p;
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted((a, b) -> b.compareTo(a)).toList()) {
        Files.delete(p);
      }
    }
  }

  @Override public boolean equals(Object o) {
    return o instanceof Checkpoint c && config.equals(c.config) && vocab.equals(c.vocab)
        && state.step() == c.state.step() && Arrays.deepEquals(state.params(), c.state.params())
        && Arrays.deepEquals(state.m(), c.state.m()) && Arrays.deepEquals(state.v(), c.state.v());
  }

  @Override public int hashCode() {
    return Long.hashCode(state.step());
  }
}
