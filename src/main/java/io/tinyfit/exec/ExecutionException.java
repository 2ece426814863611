package io.tinyfit.exec;

import io.tinyfit.model.TinyfitException;

/** A run could not be carried out (bad inputs, a plan that does not fit its arena...). */
public class ExecutionException extends TinyfitException {
    public ExecutionException(String message) { super(message); }
}
