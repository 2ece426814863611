package io.tinyfit.kernels;

import io.tinyfit.model.UnsupportedOperatorException;

/** An operator kind tinyfit knows, but with a dtype combination or parameter it has no kernel for. */
public class UnsupportedOpVariantException extends UnsupportedOperatorException {
    public UnsupportedOpVariantException(String message) { super(message); }
}
