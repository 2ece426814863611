package io.tinyfit.model;

/** A model metadata entry: a name and the index of the buffer holding its bytes. */
public record Metadata(String name, int buffer) {}
