package io.elaswave.app.observe;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format (version 0.0.4), for tests: every
 * line must be a HELP, a TYPE or a sample of a family typed before it, with well-formed labels
 * and values, and a histogram's buckets must be cumulative and end at +Inf with its count.
 */
public final class PromText {
  public record Sample(String name, Map<String, String> labels, double value) {}

  private static final String NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
  private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ") .*");
  private static final Pattern TYPE = Pattern.compile(
      "# TYPE (" + NAME + ") (counter|gauge|histogram|summary|untyped)");
  private static final Pattern SAMPLE = Pattern.compile(
      "(" + NAME + ")(\\{(.*)\\})? (\\S+)( -?\\d+)?");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\\\n]|\\\\[\\\\\"n])*)\",?");
  private static final Pattern NUMBER = Pattern.compile("[+-]?Inf|NaN|[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

  private PromText() {}

  public static List<Sample> parse(String text) {
    Map<String, String> types = new HashMap<>();
    List<Sample> out = new ArrayList<>();
    int n = 0;
    for (String line : text.split("\n", -1)) {
      n++;
      if (line.isEmpty()) {
        continue;
      }
      Matcher m;
      if ((m = TYPE.matcher(line)).matches()) {
        if (types.put(m.group(1), m.group(2)) != null) {
          throw new AssertionError("line " + n + ": family typed twice: " + line);
        }
      } else if (HELP.matcher(line).matches()) {
        continue;
      } else if (line.startsWith("#")) {
        throw new AssertionError("line " + n + ": not a HELP or TYPE comment: " + line);
      } else if ((m = SAMPLE.matcher(line)).matches()) {
        String name = m.group(1);
        if (family(name, types) == null) {
          throw new AssertionError("line " + n + ": sample of an untyped family: " + line);
        }
        if (!NUMBER.matcher(m.group(4)).matches()) {
          throw new AssertionError("line " + n + ": not a number: " + line);
        }
        out.add(new Sample(name, labels(m.group(3), line, n), Double.parseDouble(m.group(4).replace("Inf", "Infinity"))));
      } else {
        throw new AssertionError("line " + n + ": not a sample: " + line);
      }
    }
    checkHistograms(out, types);
    return out;
  }

  private static String family(String sample, Map<String, String> types) {
    if (types.containsKey(sample)) {
      return sample;
    }
    for (String suffix : List.of("_total", "_created", "_bucket", "_sum", "_count")) {
      if (sample.endsWith(suffix) && types.containsKey(sample.substring(0, sample.length() - suffix.length()))) {
        return sample.substring(0, sample.length() - suffix.length());
      }
    }
    return null;
  }

  private static Map<String, String> labels(String body, String line, int n) {
    Map<String, String> labels = new LinkedHashMap<>();
    if (body == null || body.isEmpty()) {
      return labels;
    }
    Matcher l = LABEL.matcher(body);
    int at = 0;
    while (at < body.length()) {
      if (!l.find(at) || l.start() != at) {
        throw new AssertionError("line " + n + ": bad labels: " + line);
      }
      labels.put(l.group(1), l.group(2));
      at = l.end();
    }
    return labels;
  }

  private static void checkHistograms(List<Sample> samples, Map<String, String> types) {
    types.forEach((family, type) -> {
      if (!type.equals("histogram")) {
        return;
      }
      List<Sample> buckets = samples.stream().filter(s -> s.name().equals(family + "_bucket")).toList();
      double last = 0;
      for (Sample b : buckets) {
        if (!b.labels().containsKey("le") || b.value() < last) {
          throw new AssertionError(family + ": buckets not cumulative or without le: " + buckets);
        }
        last = b.value();
      }
      double count = value(samples, family + "_count");
      if (buckets.isEmpty() || !buckets.get(buckets.size() - 1).labels().get("le").equals("+Inf") || last != count) {
        throw new AssertionError(family + ": the +Inf bucket must hold the count " + count + ": " + buckets);
      }
    });
  }

  /** The value of the one sample named {@code name} with {@code labels} (name=value pairs). */
  public static double value(List<Sample> samples, String name, String... labels) {
    Map<String, String> want = new LinkedHashMap<>();
    for (int i = 0; i < labels.length; i += 2) {
      want.put(labels[i], labels[i + 1]);
    }
    List<Sample> hits = samples.stream().filter(s -> s.name().equals(name) && s.labels().equals(want)).toList();
    if (hits.size() != 1) {
      throw new AssertionError("expected one sample " + name + want + ", found " + hits);
    }
    return hits.get(0).value();
  }
}
