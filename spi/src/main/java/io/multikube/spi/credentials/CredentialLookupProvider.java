package io.multikube.spi.credentials;

import io.multikube.spi.PluginProvider;

/**
 * Creates a {@link CredentialLookup}. List implementations in
 * {@code META-INF/services/io.multikube.spi.credentials.CredentialLookupProvider}; {@code --credentials=NAME}
 * picks one.
 */
public interface CredentialLookupProvider extends PluginProvider<CredentialLookup> {
}
