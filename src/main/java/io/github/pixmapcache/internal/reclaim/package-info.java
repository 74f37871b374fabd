/**
 * Safe memory reclamation for cache entries: hazard slots that let a find protect an entry without
 * writing any cache line another thread writes, and the reclaimer that frees a block exactly once,
 * when neither a reference count nor a hazard slot can still reach it.
 *
 * <p>Internal: not exported by the module {@code io.github.pixmapcache}; no compatibility promises.
 */
package io.github.pixmapcache.internal.reclaim;
