package dev.stowage.samples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stowage.api.HashAlgorithm;
import dev.stowage.api.Location;
import dev.stowage.api.Multihash;
import dev.stowage.api.ServiceUnavailableException;
import dev.stowage.api.Stores;
import dev.stowage.strategy.CopyResult;
import dev.stowage.strategy.DirectAccess;
import dev.stowage.strategy.MountTable;
import dev.stowage.strategy.StreamingRead;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code stowage get}: reads an image from its locations in strategy order with failover, copying directly from a
 * locally mounted file system when the mount table matches a {@code file:} location.
 */
@Command(name = "get", description = {
        "Fetch an image: from LOCATION URIs (in strategy order, with failover), or from a registry image",
        "(--image URL: its locations, size and hash come from the registry; the fallback is its /file download).",
        "A file: location whose store id is in the mount table (stowage.direct.*) is copied directly."})
final class GetCommand implements Runnable {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Mixin
    ConfigOptions config;

    @Parameters(paramLabel = "LOCATION", arity = "0..*", description = "Location URIs of one image")
    List<URI> locations = List.of();

    @Option(names = "--image", paramLabel = "URL",
            description = "A registry image, e.g. http://127.0.0.1:9292/v2/images/<id>")
    URI image;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to FILE (default: standard output)")
    Path output;

    @Option(names = "--size", paramLabel = "BYTES", description = "Expected size (with LOCATION URIs)")
    Long size;

    @Option(names = "--multihash", paramLabel = "ALGO:HEX", description = "Expected multihash, e.g. sha512:ab12...")
    String multihash;

    @Option(names = "--no-direct", description = "Never copy directly; always stream")
    boolean noDirect;

    @Option(names = "--no-progress", description = "Do not draw a progress bar")
    boolean noProgress;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        PrintWriter err = spec.commandLine().getErr();
        if (output != null && Files.exists(output)) {
            throw new StowageCli.UsageException("Cannot write " + output + ": the file exists");
        }
        if ((image == null) == locations.isEmpty()) {
            throw new StowageCli.UsageException("Give either LOCATION URIs or --image URL");
        }
        if (image != null) {
            fromRegistry(err);
            return;
        }
        try (Stores stores = config.stores()) {
            List<Location> resolved = new ArrayList<>();
            for (URI uri : locations) {
                resolved.add(stores.location(uri));
            }
            List<Location> ordered = stores.order(resolved);
            Expected expected = expected();
            if (expected == null) {
                stream(err, stores.open(ordered), -1);
                return;
            }
            copy(err, ordered, expected, list -> stores.open(list));
        }
    }

    private void fromRegistry(PrintWriter err) {
        JsonNode record = registryImage(image);
        if (!"active".equals(record.path("status").asText())) {
            throw new StowageCli.UsageException("Cannot get image " + image + ": its status is "
                    + record.path("status").asText() + ", not active");
        }
        List<Location> locations = new ArrayList<>();
        for (JsonNode entry : record.path("locations")) {
            Map<String, String> metadata = new TreeMap<>();
            entry.path("metadata").fields().forEachRemaining(field -> metadata.put(field.getKey(),
                    field.getValue().asText()));
            String store = metadata.getOrDefault("store", "");
            locations.add(Location.of(URI.create(entry.path("url").asText()), store, metadata));
        }
        Expected expected = new Expected(record.path("size").asLong(), new Multihash(
                HashAlgorithm.fromId(record.path("os_hash_algo").asText()), record.path("os_hash_value").asText()));
        URI file = image.resolve(image.getPath() + "/file");
        // the registry lists the locations in its strategy order already
        copy(err, locations, expected, ignored -> download(file));
    }

    private void copy(PrintWriter err, List<Location> locations, Expected expected, StreamingRead fallback) {
        MountTable mounts = noDirect ? MountTable.empty() : config.mounts();
        StreamingRead withProgress = list -> new Progress(fallback.open(list), err, "get", expected.size(),
                !noProgress);
        DirectAccess access = DirectAccess.create(mounts, withProgress);
        CopyResult result = output != null ? access.copy(locations, expected.size(), expected.multihash(), output)
                : access.copy(locations, expected.size(), expected.multihash(), Channels.newChannel(System.out));
        err.println(result.method() == CopyResult.Method.DIRECT
                ? "copied directly from " + result.source().orElseThrow() + " (" + result.size() + " bytes, "
                        + result.multihash() + " verified)"
                : "streamed (" + result.size() + " bytes, " + result.multihash() + " verified)");
    }

    private void stream(PrintWriter err, InputStream data, long total) {
        try (Progress in = new Progress(data, err, "get", total, !noProgress);
             OutputStream out = output == null ? nonClosing(System.out) : Files.newOutputStream(output)) {
            in.transferTo(out);
            in.finish();
        } catch (IOException e) {
            throw new dev.stowage.api.StoreIOException("Cannot write " + (output == null ? "standard output" : output)
                    + ": " + e.getMessage(), e);
        }
    }

    private Expected expected() {
        if (size == null && multihash == null) {
            return null;
        }
        if (size == null || multihash == null) {
            throw new StowageCli.UsageException("--size and --multihash go together");
        }
        int colon = multihash.indexOf(':');
        if (colon < 0) {
            throw new StowageCli.UsageException("--multihash must look like sha512:<hex>");
        }
        try {
            return new Expected(size, new Multihash(HashAlgorithm.fromId(multihash.substring(0, colon)),
                    multihash.substring(colon + 1)));
        } catch (IllegalArgumentException e) {
            throw new StowageCli.UsageException("Invalid --multihash: " + e.getMessage());
        }
    }

    /** The size and multihash the fetched bytes must have. */
    private record Expected(long size, Multihash multihash) {
    }

    private static JsonNode registryImage(URI image) {
        try {
            HttpResponse<byte[]> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(image).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() == 404) {
                throw new dev.stowage.api.ObjectNotFoundException("Cannot get image " + image + ": not found");
            }
            if (response.statusCode() != 200) {
                throw new ServiceUnavailableException("Cannot get image " + image + ": HTTP "
                        + response.statusCode());
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new ServiceUnavailableException("Cannot get image " + image + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServiceUnavailableException("Cannot get image " + image + ": interrupted", e);
        }
    }

    private static InputStream download(URI file) throws IOException {
        try {
            HttpResponse<InputStream> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(file).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() != 200) {
                response.body().close();
                throw new IOException("HTTP " + response.statusCode() + " from " + file);
            }
            return response.body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while downloading " + file, e);
        }
    }

    private static OutputStream nonClosing(OutputStream out) {
        return new java.io.FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        };
    }
}
