package io.tinyfit.model;

/** The model file is not a valid TFLite model; the message names the file and the problem. */
public class ModelFormatException extends TinyfitException {
    public ModelFormatException(String message) { super(message); }
    public ModelFormatException(String message, Throwable cause) { super(message, cause); }
}
