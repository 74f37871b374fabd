/**
 * JDK Flight Recorder events of the cache, all named {@code io.github.pixmapcache.*}: a load, an
 * eviction batch, an allocation failure, a leaked lease, a shared lease's close, and the counters
 * of every open cache each second. Each engine site calls one static or instance method here; with
 * no recording on, that method tests {@code isEnabled()} or {@code shouldCommit()} and returns, so
 * the cache's paths do no extra work, and the find path has no event at all.
 *
 * <p>Internal: not exported by the module {@code io.github.pixmapcache}; no compatibility promises.
 * The event names and fields are the documented interface (README "Observability").
 */
package io.github.pixmapcache.internal.jfr;
