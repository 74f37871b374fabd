package io.github.pixmapcache.server;

import io.github.pixmapcache.server.fleet.TierMetrics;
import io.github.pixmapcache.server.tiles.FleetTiles;
import java.util.OptionalLong;
import java.util.StringJoiner;

/** The {@code "fleet"} object of {@code GET /stats}: the Redis tier's state, its counters and the fleet's render count. */
final class FleetStatsJson {
    private FleetStatsJson() {
    }

    static String of(FleetTiles fleet) {
        TierMetrics.Snapshot counts = fleet.counts();
        OptionalLong fleetRenders = fleet.fleetRenders();
        StringJoiner json = new StringJoiner(",", "{", "}");
        json.add(field("state", "\"" + fleet.state() + "\""));
        // Renders published by every server of this render version; null while Redis cannot say.
        json.add(field("fleetRenders", fleetRenders.isPresent() ? Long.toString(fleetRenders.getAsLong()) : "null"));
        json.add(field("hits", counts.hits()));
        json.add(field("misses", counts.misses()));
        json.add(field("invalidValues", counts.invalidValues()));
        json.add(field("failures", counts.failures()));
        json.add(field("shortCircuited", counts.shortCircuited()));
        json.add(field("published", counts.metatilesWritten()));
        json.add(field("locksAcquired", counts.locksAcquired()));
        json.add(field("lockWaits", counts.lockWaits()));
        json.add(field("lockTakeovers", counts.lockTakeovers()));
        json.add(field("waitsGivenUp", counts.waitsGivenUp()));
        json.add(field("connectFailures", counts.connectFailures()));
        json.add(field("refusals", counts.refusals()));
        json.add(field("lookupMs", StatsJson.percentiles(fleet.lookupTime())));
        return json.toString();
    }

    private static String field(String name, Object value) {
        return "\"" + name + "\":" + value;
    }
}
