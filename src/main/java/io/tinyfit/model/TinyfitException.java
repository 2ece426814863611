package io.tinyfit.model;

/** Base of every user-facing failure; the CLI prints the message as one line and exits with code 2. */
public class TinyfitException extends RuntimeException {
    public TinyfitException(String message) { super(message); }
    public TinyfitException(String message, Throwable cause) { super(message, cause); }
}
