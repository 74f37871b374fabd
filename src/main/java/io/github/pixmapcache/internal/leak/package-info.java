/**
 * Leak detection for leases that become unreachable without being closed.
 *
 * <p>Internal: not exported by the module {@code io.github.pixmapcache}; no compatibility promises.
 */
package io.github.pixmapcache.internal.leak;
