package io.multikube.kubeconfig;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import com.nimbusds.jose.util.JSONObjectUtils;

import io.multikube.spi.PluginException;
import io.multikube.spi.credentials.UpstreamCredentials;

/**
 * The {@code ExecCredential} documents of client.authentication.k8s.io: the request multikube passes in
 * {@code KUBERNETES_EXEC_INFO} and the plugin's answer on standard output. Messages never quote the answer: it
 * holds the credential.
 */
final class ExecCredentialJson {
    private ExecCredentialJson() {
    }

    /**
     * The request: never interactive (multikube has no terminal), with the cluster when the plugin asked for it.
     *
     * @param cluster the {@code spec.cluster} fields ({@code server}, {@code certificate-authority-data}, ...)
     */
    static String request(ExecConfig config, Optional<Map<String, Object>> cluster) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("interactive", false);
        if (config.provideClusterInfo()) {
            cluster.ifPresent(fields -> spec.put("cluster", fields));
        }
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("apiVersion", config.apiVersion());
        request.put("kind", "ExecCredential");
        request.put("spec", spec);
        return JSONObjectUtils.toJSONString(request);
    }

    /** The {@code spec.cluster} of a request, from the kubeconfig's cluster entry. */
    static Map<String, Object> cluster(ClusterEntry cluster, Optional<String> authorityPem) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("server", cluster.server().toString());
        cluster.tlsServerName().ifPresent(name -> fields.put("tls-server-name", name));
        fields.put("insecure-skip-tls-verify", cluster.insecure());
        authorityPem.ifPresent(pem -> fields.put("certificate-authority-data",
                Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.UTF_8))));
        cluster.proxy().ifPresent(proxy -> fields.put("proxy-url", proxy.uri().toString()));
        return fields;
    }

    /**
     * Reads the plugin's answer.
     *
     * @param problem prefix for messages, naming the context and the command
     * @throws PluginException when it is not an ExecCredential of the configured version with usable credentials
     */
    static UpstreamCredentials parse(String stdout, ExecConfig config, String problem) {
        Map<String, Object> document;
        try {
            document = JSONObjectUtils.parse(stdout);
        } catch (ParseException | RuntimeException e) {
            throw new PluginException(problem + " printed no JSON object (expected: an ExecCredential)");
        }
        if (!"ExecCredential".equals(document.get("kind"))) {
            throw new PluginException(problem + " printed kind " + document.get("kind") + " (expected: "
                    + "ExecCredential)");
        }
        if (!config.apiVersion().equals(document.get("apiVersion"))) {
            throw new PluginException(problem + " printed apiVersion " + document.get("apiVersion")
                    + " (expected: " + config.apiVersion() + ", as the kubeconfig says)");
        }
        if (!(document.get("status") instanceof Map<?, ?> status)) {
            throw new PluginException(problem + " printed an ExecCredential without status (expected: a token or "
                    + "a client certificate in status)");
        }
        Optional<String> token = text(status, "token", problem);
        Optional<String> certificate = text(status, "clientCertificateData", problem);
        Optional<String> key = text(status, "clientKeyData", problem);
        if (certificate.isPresent() != key.isPresent()) {
            throw new PluginException(problem + " printed " + (certificate.isPresent() ? "clientCertificateData "
                    + "without clientKeyData" : "clientKeyData without clientCertificateData")
                    + " (expected: both or neither)");
        }
        if (token.isEmpty() && certificate.isEmpty()) {
            throw new PluginException(problem + " printed neither a token nor a client certificate (expected: "
                    + "status.token, or status.clientCertificateData and status.clientKeyData)");
        }
        return new UpstreamCredentials(token, certificate, key, expiry(status, problem));
    }

    private static Optional<String> text(Map<?, ?> status, String field, String problem) {
        Object value = status.get(field);
        if (value == null || "".equals(value)) {
            return Optional.empty();
        }
        if (!(value instanceof String text)) {
            throw new PluginException(problem + " printed status." + field + " as " + Fields.describe(value)
                    + " (expected: a string)");
        }
        return Optional.of(text);
    }

    private static Optional<Instant> expiry(Map<?, ?> status, String problem) {
        Optional<String> text = text(status, "expirationTimestamp", problem);
        try {
            return text.map(value -> OffsetDateTime.parse(value).toInstant());
        } catch (DateTimeParseException e) {
            throw new PluginException(problem + " printed status.expirationTimestamp \"" + text.orElseThrow()
                    + "\" (expected: an RFC 3339 time such as 2030-01-01T00:00:00Z)");
        }
    }
}
