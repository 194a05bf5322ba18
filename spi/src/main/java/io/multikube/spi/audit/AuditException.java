package io.multikube.spi.audit;

import io.multikube.spi.PluginException;

/** An audit sink cannot accept an event; the message says why (for example "No space left on device"). */
public class AuditException extends PluginException {
    private static final long serialVersionUID = 1L;

    public AuditException(String message) {
        super(message);
    }

    public AuditException(String message, Throwable cause) {
        super(message, cause);
    }
}
