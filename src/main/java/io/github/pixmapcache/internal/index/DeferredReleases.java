package io.github.pixmapcache.internal.index;

import java.util.ArrayList;
import java.util.List;

/**
 * Work that a cache operation collects under the cache lock and carries out after releasing it,
 * so that no memory is freed (and no handshake waited for) while the lock is held: the cache's
 * references to entries it detached, and key tables it retired.
 */
public final class DeferredReleases {
    private final List<Entry> detached = new ArrayList<>();
    private final List<KeyTable.Table> retiredTables = new ArrayList<>(0);

    /** The cache dropped {@code entry}; its reference is to be released after unlocking. */
    public void detach(Entry entry) {
        detached.add(entry);
    }

    void retire(KeyTable.Table table) {
        retiredTables.add(table);
    }

    /** Entries whose cache reference is still to be released. */
    public List<Entry> detached() {
        return detached;
    }

    /** Disposes the retired key tables; after the cache lock is released. */
    public void disposeRetiredTables() {
        retiredTables.forEach(KeyTable.Table::dispose);
    }
}
