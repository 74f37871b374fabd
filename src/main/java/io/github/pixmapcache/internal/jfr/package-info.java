/**
 * JDK Flight Recorder events of the cache, all named {@code io.github.pixmapcache.*}: a load, an
 * eviction batch, an allocation failure, a leaked lease, a shared lease's close, and the counters
 * of every open cache each second. Each engine site calls one method of {@link
 * io.github.pixmapcache.internal.jfr.CacheEvents}: until JFR is initialized it does nothing (no
 * event class is even loaded), and after that an event is written only if {@code shouldCommit()}
 * says a recording wants it. The find path has no event at all.
 *
 * <p>Internal: not exported by the module {@code io.github.pixmapcache}; no compatibility promises.
 * The event names and fields are the documented interface (docs/observability.md).
 */
package io.github.pixmapcache.internal.jfr;
