/**
 * Eviction orders and the read buffer that feeds them without the cache lock.
 *
 * <p>Internal: not exported by the module {@code io.github.pixmapcache}; no compatibility promises.
 */
package io.github.pixmapcache.internal.policy;
