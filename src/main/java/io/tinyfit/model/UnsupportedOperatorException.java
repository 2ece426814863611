package io.tinyfit.model;

/** An operator (or an operator variant, e.g. a dtype combination) tinyfit has no kernel for. */
public class UnsupportedOperatorException extends TinyfitException {
    public UnsupportedOperatorException(String message) { super(message); }
}
