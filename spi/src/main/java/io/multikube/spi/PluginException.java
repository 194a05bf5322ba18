package io.multikube.spi;

/**
 * A plugin cannot be created or cannot do its job. The message is shown to operators: it names the setting or
 * resource, the value and what was expected, and never contains a secret.
 */
public class PluginException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PluginException(String message) {
        super(message);
    }

    public PluginException(String message, Throwable cause) {
        super(message, cause);
    }
}
