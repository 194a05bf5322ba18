package io.multikube.pki;

/** PEM text that does not hold what was asked for. The message never contains key material. */
public final class PemException extends IllegalArgumentException {
    PemException(String message) {
        super(message);
    }

    PemException(String message, Throwable cause) {
        super(message, cause);
    }
}
