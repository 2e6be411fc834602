package dev.stowage.samples.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stowage.api.ChecksumMismatchException;
import dev.stowage.api.DuplicateObjectException;
import dev.stowage.api.ForbiddenException;
import dev.stowage.api.InvalidImageIdException;
import dev.stowage.api.InvalidLocationException;
import dev.stowage.api.Location;
import dev.stowage.api.ObjectNotFoundException;
import dev.stowage.api.OperationNotSupportedException;
import dev.stowage.api.SizeMismatchException;
import dev.stowage.api.StorageFullException;
import dev.stowage.api.StoreException;
import dev.stowage.api.UnknownSchemeException;
import dev.stowage.api.UnknownStoreException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The registry's HTTP API, a subset of Glance's v2 images API, on Jetty's core handler API. */
final class RegistryHandler extends Handler.Abstract {
    private static final System.Logger LOG = System.getLogger(RegistryHandler.class.getName());
    private static final Pattern IMAGE = Pattern.compile("/v2/images/([^/]+)");
    private static final Pattern IMAGE_FILE = Pattern.compile("/v2/images/([^/]+)/file");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ImageService images;
    private final RegistrySettings settings;

    RegistryHandler(ImageService images, RegistrySettings settings) {
        this.images = images;
        this.settings = settings;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        String method = request.getMethod();
        try {
            Matcher file = IMAGE_FILE.matcher(path);
            Matcher image = IMAGE.matcher(path);
            if (path.equals("/v2/images") && method.equals("POST")) {
                JsonNode body = readJson(request);
                Image created = images.create(text(body, "id"), text(body, "name"), text(body, "disk_format"),
                        text(body, "container_format"));
                sendJson(response, callback, 201, imageJson(created));
            } else if (path.equals("/v2/images") && method.equals("GET")) {
                ArrayNode list = JSON.createArrayNode();
                for (Image each : images.list()) {
                    list.add(imageJson(each));
                }
                ObjectNode body = JSON.createObjectNode();
                body.set("images", list);
                sendJson(response, callback, 200, body);
            } else if (file.matches() && method.equals("PUT")) {
                upload(request, response, callback, file.group(1));
            } else if (file.matches() && method.equals("GET")) {
                download(response, callback, file.group(1));
            } else if (image.matches() && method.equals("GET")) {
                sendJson(response, callback, 200, imageJson(images.show(image.group(1))));
            } else if (image.matches() && method.equals("PATCH")) {
                sendJson(response, callback, 200, imageJson(patch(image.group(1), readJson(request))));
            } else if (image.matches() && method.equals("DELETE")) {
                images.delete(image.group(1));
                response.setStatus(204);
                callback.succeeded();
            } else {
                sendError(response, callback, 404, "No route for " + method + " " + path);
            }
        } catch (RegistryException e) {
            sendError(response, callback, e.status(), e.getMessage());
        } catch (StoreException e) {
            sendError(response, callback, status(e), e.getMessage());
        } catch (Exception e) {
            LOG.log(System.Logger.Level.ERROR, "Request " + method + " " + path + " failed", e);
            sendError(response, callback, 500, "Internal error: " + e.getMessage());
        }
        return true;
    }

    private void upload(Request request, Response response, Callback callback, String id) throws Exception {
        String storeHeader = request.getHeaders().get("X-Image-Meta-Store");
        List<String> stores = storeHeader == null ? List.of()
                : Arrays.stream(storeHeader.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        long size = request.getLength();
        try (InputStream body = Content.Source.asInputStream(request)) {
            images.upload(id, body, size < 0 ? dev.stowage.spi.Store.UNKNOWN_SIZE : size, stores);
        }
        response.setStatus(204);
        callback.succeeded();
    }

    private void download(Response response, Callback callback, String id) throws Exception {
        ImageService.Download download;
        try {
            download = images.download(id);
        } catch (RegistryException e) {
            if (e.status() == 204) {
                response.setStatus(204);
                callback.succeeded();
                return;
            }
            throw e;
        }
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/octet-stream");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, download.image().size());
        if (download.image().checksum() != null) {
            response.getHeaders().put("Content-MD5", download.image().checksum());
        }
        try (InputStream data = download.data(); OutputStream out = Content.Sink.asOutputStream(response)) {
            data.transferTo(out);
        } catch (IOException | StoreException e) {
            // headers are gone: the only honest signal left is to abort the response
            LOG.log(System.Logger.Level.WARNING, "Image {0}: download failed: {1}", id, e.getMessage());
            callback.failed(e);
            return;
        }
        callback.succeeded();
    }

    private Image patch(String id, JsonNode operations) throws Exception {
        if (!operations.isArray()) {
            throw RegistryException.badRequest("PATCH body must be a JSON array of operations");
        }
        Image image = images.show(id);
        for (JsonNode operation : operations) {
            String op = text(operation, "op");
            String path = text(operation, "path");
            if ("replace".equals(op) && "/name".equals(path)) {
                image = images.rename(id, text(operation, "value"));
            } else if ("add".equals(op) && path != null && path.startsWith("/locations/")) {
                JsonNode value = operation.get("value");
                if (value == null || text(value, "url") == null) {
                    throw RegistryException.badRequest("A location needs a value with a url");
                }
                Map<String, String> metadata = new LinkedHashMap<>();
                JsonNode meta = value.get("metadata");
                if (meta != null) {
                    meta.fields().forEachRemaining(entry -> metadata.put(entry.getKey(), entry.getValue().asText()));
                }
                image = images.addLocation(id, text(value, "url"), metadata);
            } else if ("remove".equals(op) && path != null && path.startsWith("/locations/")) {
                try {
                    image = images.removeLocation(id, Integer.parseInt(path.substring("/locations/".length())));
                } catch (NumberFormatException e) {
                    throw RegistryException.badRequest("Invalid location index in " + path);
                }
            } else {
                throw RegistryException.badRequest("Unsupported patch operation " + op + " " + path);
            }
        }
        return image;
    }

    private ObjectNode imageJson(Image image) {
        ObjectNode json = JSON.createObjectNode();
        json.put("id", image.id());
        json.put("name", image.name());
        json.put("disk_format", image.diskFormat());
        json.put("container_format", image.containerFormat());
        json.put("status", image.status().json());
        if (image.size() == null) {
            json.putNull("size");
        } else {
            json.put("size", image.size());
        }
        json.put("checksum", image.checksum());
        json.put("os_hash_algo", image.hashAlgorithm());
        json.put("os_hash_value", image.hashValue());
        json.put("created_at", image.createdAt().toString());
        json.put("updated_at", image.updatedAt().toString());
        json.put("self", "/v2/images/" + image.id());
        json.put("file", "/v2/images/" + image.id() + "/file");
        if (settings.showMultipleLocations()) {
            ArrayNode locations = json.putArray("locations");
            for (Location location : images.orderedLocations(image)) {
                ObjectNode entry = locations.addObject();
                entry.put("url", location.uri().toString());
                ObjectNode metadata = entry.putObject("metadata");
                location.metadata().forEach(metadata::put);
                if (location.hasStore()) {
                    metadata.put("store", location.store());
                }
            }
        }
        if (settings.showImageDirectUrl()) {
            images.directUrl(image).ifPresent(best -> json.put("direct_url", best.uri().toString()));
        }
        return json;
    }

    private static int status(StoreException e) {
        if (e instanceof ObjectNotFoundException) {
            return 404;
        }
        if (e instanceof SizeMismatchException || e instanceof ChecksumMismatchException
                || e instanceof InvalidLocationException || e instanceof UnknownSchemeException
                || e instanceof InvalidImageIdException || e instanceof UnknownStoreException
                || e instanceof OperationNotSupportedException) {
            return 400;
        }
        if (e instanceof DuplicateObjectException) {
            return 409;
        }
        if (e instanceof StorageFullException) {
            return 413;
        }
        if (e instanceof ForbiddenException) {
            return 403;
        }
        return e.retryable() ? 503 : 500;
    }

    private static JsonNode readJson(Request request) throws IOException {
        try (InputStream body = Content.Source.asInputStream(request)) {
            byte[] bytes = body.readNBytes(1 << 20);
            if (bytes.length == 0) {
                return JSON.createObjectNode();
            }
            try {
                return JSON.readTree(bytes);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw RegistryException.badRequest("Request body is not valid JSON: " + e.getOriginalMessage());
            }
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static void sendJson(Response response, Callback callback, int status, JsonNode body) throws IOException {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        Content.Sink.write(response, true, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(body) + "\n",
                callback);
    }

    private static void sendError(Response response, Callback callback, int status, String message) {
        if (response.isCommitted()) {
            callback.failed(new IOException(message));
            return;
        }
        ObjectNode body = JSON.createObjectNode();
        body.put("code", status);
        body.put("message", message);
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        Content.Sink.write(response, true, body.toString() + "\n", callback);
    }
}
