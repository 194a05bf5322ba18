package io.multikube.auth;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.util.Map;

import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jose.util.Resource;
import com.nimbusds.jose.util.ResourceRetriever;

/**
 * The issuer's {@code /.well-known/openid-configuration}: where its keys are. The document's {@code issuer} must be
 * exactly the configured URL (OpenID Connect Discovery §4.3), and the keys must come over HTTPS.
 */
final class OidcDiscovery {
    private OidcDiscovery() {
    }

    static URL jwksUri(URI issuer, ResourceRetriever retriever) throws IOException {
        String base = issuer.toString().replaceAll("/+$", "");
        Resource document = retriever.retrieveResource(URI.create(base + "/.well-known/openid-configuration").toURL());
        Map<String, Object> json;
        try {
            json = JSONObjectUtils.parse(document.getContent());
        } catch (java.text.ParseException e) {
            throw new IOException("the discovery document is not JSON", e);
        }
        Object announced = json.get("issuer");
        if (!issuer.toString().equals(announced)) {
            throw new IOException("the discovery document names issuer " + announced + " (expected: " + issuer + ")");
        }
        Object jwks = json.get("jwks_uri");
        if (!(jwks instanceof String uri) || !uri.startsWith("https://")) {
            throw new IOException("the discovery document's jwks_uri is " + jwks + " (expected: an https:// URL)");
        }
        return URI.create(uri).toURL();
    }
}
