package dev.stowage.strategy;

import dev.stowage.api.Location;

import java.net.URI;
import java.util.Map;

/** Small location factories for tests. */
final class Locations {
    private Locations() {
    }

    static Location at(String uri) {
        return Location.of(URI.create(uri));
    }

    static Location at(String uri, String store) {
        return Location.of(URI.create(uri), store, Map.of());
    }
}
