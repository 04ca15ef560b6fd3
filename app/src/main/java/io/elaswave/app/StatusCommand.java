package io.elaswave.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.elaswave.app.observe.StatusTable;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code elaswave status}: the table of a running job from its driver ({@code --http}, the
 * driver's {@code /status}) or the members of a cluster from any node ({@code --cluster}, its
 * Pekko Management {@code /cluster/members}); {@code --watch} redraws it in place.
 */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    description = "Print a running job's members, layout, step, throughput and last recovery.",
    footer = {"", "Examples:",
        "  elaswave status --http 127.0.0.1:18558      (a driver started with train --http-port 18558)",
        "  elaswave status --cluster 127.0.0.1:18559   (node-0's Pekko Management: members only)",
        "", "Exit status: 0 shown (with --watch: until the run is done or stops answering),",
        "1 nothing answers at that address, 2 bad input."})
final class StatusCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CLEAR = "\033[H\033[2J";

  @Spec private CommandSpec spec;

  static final class Source {
    @Option(names = "--http", paramLabel = "HOST:PORT", required = true,
        description = "The driver's HTTP endpoint (train --http-port).")
    String http;

    @Option(names = "--cluster", paramLabel = "HOST:PORT", required = true,
        description = "A node's Pekko Management endpoint (node --management-port; P+1+i under train --http-port P).")
    String cluster;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  private Source source;

  @Option(names = "--watch", paramLabel = "SECONDS", arity = "0..1", fallbackValue = "2",
      description = "Redraw every SECONDS (default 2) until the run is done or stops answering.")
  private Double watch;

  @Override public Integer call() throws InterruptedException {
    String address = source.http != null ? source.http : source.cluster;
    String flag = source.http != null ? "--http" : "--cluster";
    if (!address.matches("[^:/\\s]+:\\d{1,5}") || Integer.parseInt(address.substring(address.lastIndexOf(':') + 1))
        > 65535) {
      throw new InputException(flag + " takes HOST:PORT, got '" + address + "'");
    }
    if (watch != null && !(watch >= 0.1 && watch <= 3600)) {
      throw new InputException("--watch takes seconds in [0.1, 3600], got " + watch);
    }
    URI uri = URI.create("http://" + address + (source.http != null ? "/status" : "/cluster/members"));
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    PrintWriter out = spec.commandLine().getOut();
    JsonNode first = fetch(client, uri); // the first answer must come: nothing there is an error
    show(out, first);
    if (watch == null) {
      return Main.EXIT_OK;
    }
    JsonNode last = first;
    while (!"done".equals(last.path("state").asText())) {
      Thread.sleep(Math.round(watch * 1000)); // a refresh period, not synchronisation
      try {
        last = fetch(client, uri);
      } catch (UncheckedIOException e) {
        out.println("(" + address + " no longer answers: the run has ended)");
        break;
      }
      show(out, last);
    }
    out.flush();
    return Main.EXIT_OK;
  }

  private void show(PrintWriter out, JsonNode answer) {
    out.print((watch != null ? CLEAR : "") + (source.http != null ? StatusTable.ofRun(answer)
        : StatusTable.ofMembers(answer)));
    out.flush();
  }

  private static JsonNode fetch(HttpClient client, URI uri) throws InterruptedException {
    try {
      HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IOException("it answered HTTP " + r.statusCode());
      }
      return JSON.readTree(r.body());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + uri + ": " + (e.getMessage() == null ? e.toString()
          : e.getMessage()), e);
    }
  }
}
