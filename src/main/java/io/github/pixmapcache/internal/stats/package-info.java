/**
 * The cache's counters.
 *
 * <p>Internal: not exported by the module {@code io.github.pixmapcache}; no compatibility promises.
 */
package io.github.pixmapcache.internal.stats;
