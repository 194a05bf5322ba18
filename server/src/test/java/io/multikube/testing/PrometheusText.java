package io.multikube.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * Parses a Prometheus text exposition with the Prometheus project's own Python parser
 * ({@code prometheus_client.parser}), so what we serve is read the way a scraper reads it, not by our own regexes.
 * Without it a test is skipped locally and fails under CI ({@code CI=true}).
 */
public final class PrometheusText {
    private static final String PARSER = """
            import sys
            from prometheus_client.parser import text_string_to_metric_families
            for family in text_string_to_metric_families(sys.stdin.read()):
                for s in family.samples:
                    labels = ",".join(k + "=" + v for k, v in sorted(s.labels.items()))
                    print(family.type + "\\t" + s.name + "\\t" + labels + "\\t" + repr(float(s.value)))
            """;

    private PrometheusText() {
    }

    /** One sample as the parser read it. */
    public record Sample(String type, String name, Map<String, String> labels, double value) {
    }

    public static List<Sample> parse(String exposition) throws IOException, InterruptedException {
        requireParser();
        Process process = new ProcessBuilder("python3", "-c", PARSER).redirectErrorStream(false).start();
        try (var in = process.getOutputStream()) {
            in.write(exposition.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new AssertionError("the Prometheus parser refused the exposition: " + err);
        }
        List<Sample> samples = new ArrayList<>();
        for (String line : out.lines().toList()) {
            String[] parts = line.split("\t", -1);
            Map<String, String> labels = new TreeMap<>();
            if (!parts[2].isEmpty()) {
                for (String pair : parts[2].split(",")) {
                    int equals = pair.indexOf('=');
                    labels.put(pair.substring(0, equals), pair.substring(equals + 1));
                }
            }
            samples.add(new Sample(parts[0], parts[1], labels, Double.parseDouble(parts[3])));
        }
        return samples;
    }

    /** The value of the sample with this name and exactly these labels (among others), if present. */
    public static Optional<Double> value(List<Sample> samples, String name, Map<String, String> labels) {
        return samples.stream().filter(s -> s.name().equals(name))
                .filter(s -> s.labels().entrySet().containsAll(labels.entrySet()))
                .map(Sample::value).findFirst();
    }

    private static void requireParser() throws IOException, InterruptedException {
        Process probe = new ProcessBuilder("python3", "-c", "import prometheus_client.parser")
                .redirectErrorStream(true).start();
        probe.getInputStream().readAllBytes();
        if (probe.waitFor() != 0) {
            String message = "python3 with prometheus_client is not installed (pip install prometheus_client)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError(message + ": CI requires the real Prometheus parser");
            }
            Assumptions.abort(message);
        }
    }
}
