package io.github.pixmapcache.bench.replay;

/** How a trace is replayed: every object one unit, or every object weighed by its size in bytes. */
enum Mode {
    COUNT("count-based"), SIZE("size-aware");

    final String title;

    Mode(String title) {
        this.title = title;
    }
}
