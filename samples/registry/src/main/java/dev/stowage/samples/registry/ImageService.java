package dev.stowage.samples.registry;

import dev.stowage.api.AddResult;
import dev.stowage.api.FanOutMode;
import dev.stowage.api.FanOutResult;
import dev.stowage.api.HashAlgorithm;
import dev.stowage.api.ImageIds;
import dev.stowage.api.Location;
import dev.stowage.api.Multihash;
import dev.stowage.api.StoreException;
import dev.stowage.api.Stores;

import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static java.util.Objects.requireNonNull;

/** The registry's operations on image records and image data; HTTP-free so that tests can drive it directly. */
final class ImageService {
    private static final System.Logger LOG = System.getLogger(ImageService.class.getName());

    private final ImageRepository repository;
    private final Stores stores;

    ImageService(ImageRepository repository, Stores stores) {
        this.repository = requireNonNull(repository, "repository is null");
        this.stores = requireNonNull(stores, "stores is null");
    }

    Image create(String id, String name, String diskFormat, String containerFormat) throws SQLException {
        String imageId = id == null ? UUID.randomUUID().toString() : id;
        if (!ImageIds.isValid(imageId)) {
            throw RegistryException.badRequest("Invalid image id " + ImageIds.quote(imageId)
                    + ": use 1-200 characters of [A-Za-z0-9._-], starting with a letter or digit");
        }
        if (repository.find(imageId).isPresent()) {
            throw RegistryException.conflict("An image with id " + imageId + " already exists");
        }
        Instant now = Instant.now();
        Image image = new Image(imageId, name, diskFormat, containerFormat, Image.Status.QUEUED, null, null, null,
                null, List.of(), now, now);
        try {
            repository.create(image);
        } catch (SQLIntegrityConstraintViolationException e) {
            // another create of the same id won the race between the check above and this insert
            throw RegistryException.conflict("An image with id " + imageId + " already exists");
        }
        return image;
    }

    Image show(String id) throws SQLException {
        return repository.find(id).orElseThrow(() -> RegistryException.notFound(id));
    }

    List<Image> list() throws SQLException {
        return repository.list();
    }

    /**
     * Streams the data into the given stores (the default store when none are named), all of which must succeed, and
     * makes the image active. On any failure the image is queued again and no copy is left.
     */
    Image upload(String id, InputStream data, long size, List<String> storeNames) throws SQLException {
        Image image = show(id);
        if (!repository.startUpload(id)) {
            throw RegistryException.conflict("Cannot upload image " + id + ": its status is "
                    + image.status().json() + ", data can only be uploaded once to a queued image");
        }
        List<Location> written = new ArrayList<>();
        try {
            AddResult first;
            if (storeNames.isEmpty()) {
                first = stores.add(id, data, size);
                written.add(first.location());
            } else {
                FanOutResult result = stores.addAll(storeNames, id, data, size, FanOutMode.ALL_MUST_SUCCEED);
                written.addAll(result.locations());
                first = result.added().values().iterator().next();
            }
            repository.finishUpload(id, first.bytesWritten(), first.md5(), first.multihash().algorithm().id(),
                    first.multihash().hex(), written);
            LOG.log(System.Logger.Level.INFO, "Image {0}: stored {1} bytes at {2}", id, first.bytesWritten(),
                    written);
            return show(id);
        } catch (RuntimeException | SQLException e) {
            for (Location location : written) {
                try {
                    stores.delete(location);
                } catch (StoreException cleanup) {
                    e.addSuppressed(cleanup);
                }
            }
            repository.abortUpload(id);
            LOG.log(System.Logger.Level.WARNING, "Image {0}: upload failed, image queued again: {1}", id,
                    e.getMessage());
            throw e;
        }
    }

    /** Opens the image's data through the configured strategy with failover, verifying size and hash. */
    Download download(String id) throws SQLException {
        Image image = show(id);
        if (image.status() != Image.Status.ACTIVE || image.locations().isEmpty()) {
            // Glance answers 204 No Content when an image has no data
            throw new RegistryException(204, "Image " + id + " has no data (status "
                    + image.status().json() + ")");
        }
        Multihash hash = new Multihash(HashAlgorithm.fromId(image.hashAlgorithm()), image.hashValue());
        return new Download(image, stores.open(image.locations(), image.size(), hash));
    }

    /** The image's locations in strategy order. */
    List<Location> orderedLocations(Image image) {
        return stores.order(image.locations());
    }

    /** Adds a location after validating it with the parser of the store that handles its scheme. */
    Image addLocation(String id, String url, Map<String, String> metadata) throws SQLException {
        Image image = show(id);
        if (image.status() != Image.Status.ACTIVE) {
            throw RegistryException.conflict("Cannot add a location to image " + id + ": its status is "
                    + image.status().json());
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw RegistryException.badRequest("Invalid location URL: " + e.getMessage());
        }
        Location parsed = stores.location(uri);
        if (image.locations().stream().anyMatch(existing -> existing.uri().equals(parsed.uri()))) {
            throw RegistryException.conflict("Image " + id + " already has location " + parsed.uri());
        }
        long size = stores.size(parsed);
        if (image.size() != null && size != image.size()) {
            throw RegistryException.badRequest("Cannot add location " + parsed.uri() + " to image " + id
                    + ": it holds " + size + " bytes, the image has " + image.size());
        }
        Location withMetadata = Location.of(parsed.uri(), parsed.store(),
                metadata.isEmpty() ? parsed.metadata() : metadata);
        repository.addLocation(id, withMetadata);
        return show(id);
    }

    Image removeLocation(String id, int index) throws SQLException {
        Image image = show(id);
        if (index < 0 || index >= image.locations().size()) {
            throw RegistryException.badRequest("Image " + id + " has no location at index " + index);
        }
        if (image.locations().size() == 1) {
            throw RegistryException.conflict("Cannot remove the last location of image " + id);
        }
        repository.removeLocation(id, image.locations().get(index));
        return show(id);
    }

    Image rename(String id, String name) throws SQLException {
        show(id);
        repository.rename(id, name);
        return show(id);
    }

    /** Deletes the record and the data in every store the registry manages. */
    void delete(String id) throws SQLException {
        Image image = show(id);
        if (image.status() == Image.Status.SAVING) {
            throw RegistryException.conflict("Cannot delete image " + id + " while it is being uploaded");
        }
        for (Location location : image.locations()) {
            try {
                stores.delete(location);
            } catch (StoreException e) {
                LOG.log(System.Logger.Level.WARNING, "Image {0}: could not delete {1}: {2}", id, location.uri(),
                        e.getMessage());
            }
        }
        repository.delete(id);
    }

    /**
     * Startup repair: uploads cut off by a crash go back to queued, and whatever they wrote is removed. A crash can
     * come after a store finished an add but before its location was recorded, so every store is asked for an object
     * of the image's id ({@code Store.find}); the registry owns the ids in its stores, so such an object is an orphan.
     */
    List<String> recover() throws SQLException {
        List<String> repaired = new ArrayList<>();
        for (Image image : repository.saving()) {
            for (String name : stores.storeNames()) {
                try {
                    stores.store(name).find(image.id()).ifPresent(orphan -> {
                        stores.delete(orphan);
                        LOG.log(System.Logger.Level.WARNING, "Image {0}: removed {1}, written by an upload cut off"
                                + " by a restart", image.id(), orphan.uri());
                    });
                } catch (StoreException e) {
                    LOG.log(System.Logger.Level.WARNING, "Image {0}: could not check store {1} for data of an upload"
                            + " cut off by a restart: {2}", image.id(), name, e.getMessage());
                }
            }
            repository.abortUpload(image.id());
            repaired.add(image.id());
        }
        return repaired;
    }

    Optional<Location> directUrl(Image image) {
        List<Location> ordered = orderedLocations(image);
        return ordered.isEmpty() ? Optional.empty() : Optional.of(ordered.get(0));
    }

    record Download(Image image, InputStream data) {
    }
}
