package io.github.pixmapcache;

import io.github.pixmapcache.internal.leak.LeakDetector;
import io.github.pixmapcache.internal.reclaim.Reclaimer;

/**
 * What a lease needs of its cache, in one field so that every lease is 8 bytes smaller: the
 * reclaimer that drops its protection and the detector that may watch it.
 */
record LeaseContext(Reclaimer reclaimer, LeakDetector leaks) {}
