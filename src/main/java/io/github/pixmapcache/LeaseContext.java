package io.github.pixmapcache;

import io.github.pixmapcache.internal.leak.LeakDetector;
import io.github.pixmapcache.internal.reclaim.Reclaimer;

/**
 * What a lease needs of its cache, in one field so that every lease is 8 bytes smaller: the
 * reclaimer that drops its protection, the detector that may watch it, and the cache itself only
 * as the name its JFR events carry ({@code owner}, never called).
 */
record LeaseContext(Object owner, Reclaimer reclaimer, LeakDetector leaks) {}
