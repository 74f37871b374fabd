/**
 * Native memory: the allocator seam and the one class that makes restricted FFM calls.
 *
 * <p>Internal: not exported by the module {@code io.github.pixmapcache}; no compatibility promises.
 */
package io.github.pixmapcache.internal.memory;
