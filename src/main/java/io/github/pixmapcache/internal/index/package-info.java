/**
 * The cache's index structures: entries with their reference counts, and the native key table.
 *
 * <p>Internal: not exported by the module {@code io.github.pixmapcache}; no compatibility promises.
 */
package io.github.pixmapcache.internal.index;
