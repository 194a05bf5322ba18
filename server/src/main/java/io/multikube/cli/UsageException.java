package io.multikube.cli;

/** A command line that cannot run as written: an unknown flag, a missing or malformed value (exit code 2). */
final class UsageException extends RuntimeException {
    UsageException(String message) {
        super(message);
    }
}
