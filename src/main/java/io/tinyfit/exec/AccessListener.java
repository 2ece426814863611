package io.tinyfit.exec;

/**
 * Receives the memory accesses a kernel makes through a {@link TracingView}, in program order: the byte offset
 * inside the traced tensor and the access width in bytes (1 for int8, 4 for an int32 or float element).
 */
public interface AccessListener {
    void read(int byteOffset, int width);

    void write(int byteOffset, int width);

    AccessListener IGNORE = new AccessListener() {
        @Override public void read(int byteOffset, int width) {}
        @Override public void write(int byteOffset, int width) {}
    };
}
