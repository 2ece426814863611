package io.tinyfit.dmo;

import io.tinyfit.exec.AccessListener;

import java.util.ArrayList;
import java.util.List;

/**
 * One stream of access events in program order, from two listeners: reads of I, and the events on O (writes,
 * and reads of what the kernel wrote there). Each event is kept as a short string, so that a mismatch prints.
 */
final class EventLog {
    private final List<String> events = new ArrayList<>();

    final AccessListener input = new AccessListener() {
        @Override public void read(int byteOffset, int width) { events.add("I.r " + byteOffset + "/" + width); }
        @Override public void write(int byteOffset, int width) { events.add("I.w " + byteOffset + "/" + width); }
    };

    final AccessListener output = new AccessListener() {
        @Override public void read(int byteOffset, int width) { events.add("O.r " + byteOffset + "/" + width); }
        @Override public void write(int byteOffset, int width) { events.add("O.w " + byteOffset + "/" + width); }
    };

    List<String> events() { return events; }

    /** Index of the first event where the two logs differ, or -1 when they are equal. */
    static int firstDifference(List<String> a, List<String> b) {
        int n = Math.min(a.size(), b.size());
        for (int i = 0; i < n; i++) if (!a.get(i).equals(b.get(i))) return i;
        return a.size() == b.size() ? -1 : n;
    }
}
