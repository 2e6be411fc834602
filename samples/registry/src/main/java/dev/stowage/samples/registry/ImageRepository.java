package dev.stowage.samples.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stowage.api.Location;

import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Image records in an embedded H2 database file, through plain JDBC. Every method runs in its own transaction; state
 * changes that must not race (queued to saving) are single conditional updates.
 */
final class ImageRepository implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, String>> METADATA = new TypeReference<>() {
    };

    private final String url;
    private final Connection keepAlive;

    ImageRepository(Path databaseFile) throws SQLException {
        // the file name without H2's ".mv.db" suffix; AUTO_SERVER off: one registry process owns the database.
        // WRITE_DELAY=0: each commit reaches the file before the call returns (H2's default, 500 ms, loses the
        // records of the last half second, answered 201/204 already, when the process is killed)
        this.url = "jdbc:h2:file:" + databaseFile.toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0";
        this.keepAlive = DriverManager.getConnection(url);
        try (Statement statement = keepAlive.createStatement()) {
            statement.execute("""
                    CREATE TABLE IF NOT EXISTS images (
                      id VARCHAR(200) PRIMARY KEY,
                      name VARCHAR(1000),
                      disk_format VARCHAR(64),
                      container_format VARCHAR(64),
                      status VARCHAR(16) NOT NULL,
                      size BIGINT,
                      checksum VARCHAR(32),
                      os_hash_algo VARCHAR(16),
                      os_hash_value VARCHAR(128),
                      created_at TIMESTAMP NOT NULL,
                      updated_at TIMESTAMP NOT NULL)""");
            statement.execute("""
                    CREATE TABLE IF NOT EXISTS image_locations (
                      image_id VARCHAR(200) NOT NULL REFERENCES images(id) ON DELETE CASCADE,
                      position INT NOT NULL,
                      url VARCHAR(4096) NOT NULL,
                      store VARCHAR(200) NOT NULL,
                      metadata VARCHAR(8192) NOT NULL,
                      PRIMARY KEY (image_id, position))""");
        }
    }

    void create(Image image) throws SQLException {
        try (Connection connection = connect();
             PreparedStatement insert = connection.prepareStatement(
                     "INSERT INTO images (id, name, disk_format, container_format, status, created_at, updated_at)"
                             + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, image.id());
            insert.setString(2, image.name());
            insert.setString(3, image.diskFormat());
            insert.setString(4, image.containerFormat());
            insert.setString(5, image.status().name());
            insert.setTimestamp(6, Timestamp.from(image.createdAt()));
            insert.setTimestamp(7, Timestamp.from(image.updatedAt()));
            insert.executeUpdate();
        }
    }

    Optional<Image> find(String id) throws SQLException {
        try (Connection connection = connect();
             PreparedStatement select = connection.prepareStatement("SELECT * FROM images WHERE id = ?")) {
            select.setString(1, id);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(image(connection, row)) : Optional.empty();
            }
        }
    }

    List<Image> list() throws SQLException {
        try (Connection connection = connect();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT * FROM images ORDER BY created_at, id")) {
            List<Image> images = new ArrayList<>();
            while (rows.next()) {
                images.add(image(connection, rows));
            }
            return images;
        }
    }

    /** Moves a queued image to saving; false when it was not queued (an upload already ran or runs). */
    boolean startUpload(String id) throws SQLException {
        return transition(id, Image.Status.QUEUED, Image.Status.SAVING);
    }

    /** Moves a saving image back to queued after a failed upload. */
    boolean abortUpload(String id) throws SQLException {
        return transition(id, Image.Status.SAVING, Image.Status.QUEUED);
    }

    /** Images left in saving by a process that died during an upload. */
    List<Image> saving() throws SQLException {
        return list().stream().filter(image -> image.status() == Image.Status.SAVING).toList();
    }

    /** Records the uploaded data and makes the image active, in one transaction. */
    void finishUpload(String id, long size, String checksum, String hashAlgorithm, String hashValue,
                      List<Location> locations) throws SQLException {
        try (Connection connection = connect()) {
            connection.setAutoCommit(false);
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE images SET status = ?, size = ?, checksum = ?, os_hash_algo = ?, os_hash_value = ?,"
                            + " updated_at = ? WHERE id = ? AND status = ?")) {
                update.setString(1, Image.Status.ACTIVE.name());
                update.setLong(2, size);
                update.setString(3, checksum);
                update.setString(4, hashAlgorithm);
                update.setString(5, hashValue);
                update.setTimestamp(6, Timestamp.from(Instant.now()));
                update.setString(7, id);
                update.setString(8, Image.Status.SAVING.name());
                if (update.executeUpdate() != 1) {
                    connection.rollback();
                    throw new SQLException("image " + id + " is no longer saving");
                }
                insertLocations(connection, id, 0, locations);
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    void addLocation(String id, Location location) throws SQLException {
        try (Connection connection = connect()) {
            connection.setAutoCommit(false);
            try (PreparedStatement next = connection.prepareStatement(
                    "SELECT COALESCE(MAX(position) + 1, 0) FROM image_locations WHERE image_id = ?")) {
                next.setString(1, id);
                int position;
                try (ResultSet row = next.executeQuery()) {
                    row.next();
                    position = row.getInt(1);
                }
                insertLocations(connection, id, position, List.of(location));
                touch(connection, id);
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    void removeLocation(String id, Location location) throws SQLException {
        try (Connection connection = connect();
             PreparedStatement delete = connection.prepareStatement(
                     "DELETE FROM image_locations WHERE image_id = ? AND url = ?")) {
            delete.setString(1, id);
            delete.setString(2, location.uri().toString());
            delete.executeUpdate();
            touch(connection, id);
        }
    }

    void rename(String id, String name) throws SQLException {
        try (Connection connection = connect();
             PreparedStatement update = connection.prepareStatement("UPDATE images SET name = ? WHERE id = ?")) {
            update.setString(1, name);
            update.setString(2, id);
            update.executeUpdate();
            touch(connection, id);
        }
    }

    boolean delete(String id) throws SQLException {
        try (Connection connection = connect();
             PreparedStatement delete = connection.prepareStatement("DELETE FROM images WHERE id = ?")) {
            delete.setString(1, id);
            return delete.executeUpdate() == 1;
        }
    }

    @Override
    public void close() throws SQLException {
        keepAlive.close();
    }

    private boolean transition(String id, Image.Status from, Image.Status to) throws SQLException {
        try (Connection connection = connect();
             PreparedStatement update = connection.prepareStatement(
                     "UPDATE images SET status = ?, updated_at = ? WHERE id = ? AND status = ?")) {
            update.setString(1, to.name());
            update.setTimestamp(2, Timestamp.from(Instant.now()));
            update.setString(3, id);
            update.setString(4, from.name());
            return update.executeUpdate() == 1;
        }
    }

    private static void touch(Connection connection, String id) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE images SET updated_at = ? WHERE id = ?")) {
            update.setTimestamp(1, Timestamp.from(Instant.now()));
            update.setString(2, id);
            update.executeUpdate();
        }
    }

    private static void insertLocations(Connection connection, String id, int firstPosition,
                                        List<Location> locations) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO image_locations (image_id, position, url, store, metadata) VALUES (?, ?, ?, ?, ?)")) {
            int position = firstPosition;
            for (Location location : locations) {
                insert.setString(1, id);
                insert.setInt(2, position++);
                insert.setString(3, location.uri().toString());
                insert.setString(4, location.store());
                insert.setString(5, JSON.writeValueAsString(location.metadata()));
                insert.addBatch();
            }
            insert.executeBatch();
        } catch (JsonProcessingException e) {
            throw new SQLException("cannot encode location metadata", e);
        }
    }

    private Image image(Connection connection, ResultSet row) throws SQLException {
        String id = row.getString("id");
        long size = row.getLong("size");
        Long sizeOrNull = row.wasNull() ? null : size;
        return new Image(id, row.getString("name"), row.getString("disk_format"), row.getString("container_format"),
                Image.Status.valueOf(row.getString("status")), sizeOrNull, row.getString("checksum"),
                row.getString("os_hash_algo"), row.getString("os_hash_value"), locations(connection, id),
                row.getTimestamp("created_at").toInstant(), row.getTimestamp("updated_at").toInstant());
    }

    private static List<Location> locations(Connection connection, String id) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT url, store, metadata FROM image_locations WHERE image_id = ? ORDER BY position")) {
            select.setString(1, id);
            try (ResultSet rows = select.executeQuery()) {
                List<Location> locations = new ArrayList<>();
                while (rows.next()) {
                    locations.add(Location.of(URI.create(rows.getString("url")), rows.getString("store"),
                            JSON.readValue(rows.getString("metadata"), METADATA)));
                }
                return locations;
            } catch (JsonProcessingException e) {
                throw new SQLException("cannot decode location metadata of image " + id, e);
            }
        }
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(url);
    }
}
