package io.multikube.server;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.multikube.observe.Readiness;

/**
 * The metrics listener's routes: {@code /metrics} (Prometheus text), and {@code /livez} and {@code /readyz} as
 * the API server answers them ({@code ok}, or one line per check with {@code ?verbose} or on failure;
 * {@code /readyz/<check>} for one check).
 */
final class AdminRoutes {
    private AdminRoutes() {
    }

    static HttpRouting.Builder routing(PrometheusMeterRegistry registry, Readiness readiness) {
        return HttpRouting.builder()
                .get("/metrics", (request, response) -> {
                    response.header(HeaderValues.create(HeaderNames.CONTENT_TYPE,
                            "text/plain; version=0.0.4; charset=utf-8"));
                    response.send(registry.scrape().getBytes(StandardCharsets.UTF_8));
                })
                .get("/livez", (request, response) -> answer(request, response, "livez",
                        Stream.concat(Stream.of(new Readiness.Check("ping", true, "")),
                                readiness.livenessChecks().stream()).toList(),
                        readiness.alive()))
                .get("/readyz", (request, response) -> answer(request, response, "readyz", readiness.checks(),
                        readiness.ready()))
                .get("/readyz/{check}", (request, response) -> {
                    String name = request.path().pathParameters().get("check");
                    Optional<Readiness.Check> check = readiness.checks().stream()
                            .filter(c -> c.name().equals(name)).findFirst();
                    if (check.isEmpty()) {
                        response.status(Status.NOT_FOUND_404).send("no readyz check named " + name + "\n");
                        return;
                    }
                    answer(request, response, "readyz", List.of(check.get()), check.get().passed());
                });
    }

    private static void answer(ServerRequest request, ServerResponse response, String what,
                               List<Readiness.Check> checks, boolean passed) {
        boolean verbose = request.query().contains("verbose");
        response.header(HeaderValues.create(HeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8"));
        response.header(HeaderValues.create(HeaderNames.CACHE_CONTROL, "no-cache, private"));
        response.status(passed ? Status.OK_200 : Status.SERVICE_UNAVAILABLE_503);
        if (passed && !verbose) {
            response.send("ok");
            return;
        }
        StringBuilder body = new StringBuilder();
        checks.forEach(check -> body.append(check.passed() ? "[+]" + check.name() + " ok"
                : "[-]" + check.name() + " failed: " + check.detail()).append('\n'));
        body.append(what).append(passed ? " check passed\n" : " check failed\n");
        response.send(body.toString());
    }
}
