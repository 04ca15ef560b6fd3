package io.elaswave.app;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs the real CLI in-process and reads what it wrote. */
final class Cli {
  private static final Pattern FIELD = Pattern.compile("\"([^\"]+)\":(\"(?:[^\"\\\\]|\\\\.)*\"|[^,}]+)");

  record Result(int status, String out, String err) {}

  private Cli() {}

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = Main.run(new PrintWriter(out), new PrintWriter(err), args);
    return new Result(status, out.toString(), err.toString());
  }

  /** Fails the test with the CLI's stderr if the run did not succeed. */
  static Result ok(String... args) {
    Result r = run(args);
    if (r.status() != 0) {
      throw new AssertionError("exit " + r.status() + " for " + String.join(" ", args) + ":\n" + r.err());
    }
    return r;
  }

  /** Each line of a metrics file as field name to raw JSON value (strings keep their quotes). */
  static List<Map<String, String>> metrics(Path file) throws IOException {
    return Files.readAllLines(file).stream().map(Cli::fields).toList();
  }

  static Map<String, String> fields(String line) {
    if (!line.startsWith("{") || !line.endsWith("}")) {
      throw new AssertionError("not a JSON object: " + line);
    }
    Map<String, String> out = new LinkedHashMap<>();
    Matcher m = FIELD.matcher(line);
    while (m.find()) {
      out.put(m.group(1), m.group(2));
    }
    return out;
  }

  static List<Map<String, String>> steps(Path file) throws IOException {
    return metrics(file).stream().filter(o -> o.containsKey("step") && !o.containsKey("event")).toList();
  }

  static List<String> digests(Path file) throws IOException {
    return steps(file).stream().map(o -> o.get("digest")).toList();
  }

  static String unquote(String json) {
    return json.substring(1, json.length() - 1);
  }
}
