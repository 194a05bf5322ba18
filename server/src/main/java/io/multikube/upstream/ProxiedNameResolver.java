package io.multikube.upstream;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;

import io.helidon.webclient.api.DnsAddressLookup;
import io.helidon.webclient.spi.DnsResolver;

/**
 * For clusters behind a {@code proxy-url}: the cluster's host is not resolved here (only the proxy may know it);
 * the address only carries the host name, which Helidon puts in {@code CONNECT host:port} and checks the certificate
 * against. The proxy's own host is resolved normally.
 */
final class ProxiedNameResolver implements DnsResolver {
    private static final byte[] UNRESOLVED = {0, 0, 0, 0};

    private final String proxyHost;

    ProxiedNameResolver(String proxyHost) {
        this.proxyHost = Objects.requireNonNull(proxyHost, "proxyHost");
    }

    @Override
    public InetAddress resolveAddress(String hostname, DnsAddressLookup lookup) {
        try {
            if (hostname.equalsIgnoreCase(proxyHost)) {
                // Labelled, or a literal would be named by a reverse lookup.
                return InetAddress.getByAddress(hostname, lookup.filter(InetAddress.getAllByName(hostname))[0]
                        .getAddress());
            }
            return InetAddress.getByAddress(hostname, UNRESOLVED);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("cluster host " + hostname + " cannot be named", e);
        }
    }
}
