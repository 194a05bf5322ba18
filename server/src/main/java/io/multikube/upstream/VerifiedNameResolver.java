package io.multikube.upstream;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;

import io.helidon.webclient.api.DnsAddressLookup;
import io.helidon.webclient.spi.DnsResolver;

/**
 * Resolves a cluster's host but labels the address with the name its certificate must carry: the kubeconfig's
 * {@code tls-server-name}, else the URL's host exactly as written. Without it the TLS layer takes the peer name from
 * a reverse lookup, so {@code https://127.0.0.1:6443} would be checked as "localhost" and fail, and
 * {@code tls-server-name} would only be tried first rather than required.
 */
final class VerifiedNameResolver implements DnsResolver {
    private final String verifiedName;

    VerifiedNameResolver(String verifiedName) {
        this.verifiedName = Objects.requireNonNull(verifiedName, "verifiedName");
    }

    @Override
    public InetAddress resolveAddress(String hostname, DnsAddressLookup lookup) {
        try {
            InetAddress resolved = lookup.filter(InetAddress.getAllByName(hostname))[0];
            return InetAddress.getByAddress(verifiedName, resolved.getAddress());
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("cannot resolve cluster host " + hostname, e);
        }
    }
}
