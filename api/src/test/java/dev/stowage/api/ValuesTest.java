package dev.stowage.api;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ValuesTest {

    @Test
    void locationRejectsCredentialsWithoutEchoingThem() {
        assertThatThrownBy(() -> Location.of(URI.create("s3://AKIA:s3cr3t@host/bucket/key")))
                .isInstanceOf(InvalidLocationException.class)
                .hasMessageContaining("must not carry credentials")
                .hasMessageContaining("s3://***@host/bucket/key")
                .hasMessageNotContaining("s3cr3t")
                .hasMessageNotContaining("AKIA");
    }

    @Test
    void locationRejectsCredentialsInAnAuthorityTheJdkCannotParse() {
        // "host.." is no valid host name: the JDK keeps "user:s3cr3t@host.." as a registry-based authority and
        // reports no user info
        URI uri = URI.create("http://user:s3cr3t@host../x");
        assertThat(uri.getRawUserInfo()).isNull();
        assertThatThrownBy(() -> Location.of(uri))
                .isInstanceOf(InvalidLocationException.class)
                .hasMessage("Cannot use location http://***@host../x: a location must not carry credentials (user"
                        + " info in the URI)");
        assertThatThrownBy(() -> Location.of(URI.create("//user:s3cr3t@host/x")))
                .isInstanceOf(InvalidLocationException.class)
                .hasMessage("Cannot use location //***@host/x: the URI has no scheme");
    }

    @Test
    void redactionMasksASecretThatHoldsSlashes() {
        // the JDK parses the authority as "AKIA:se" and the rest of the secret as the path
        URI uri = URI.create("s3://AKIA:se/cr/et@s3.amazonaws.com/images/abc?x=a@b#f");
        assertThat(uri.getRawAuthority()).isEqualTo("AKIA:se");
        assertThat(Location.redact(uri)).isEqualTo("s3://***@s3.amazonaws.com/images/abc?x=a@b#f");
        assertThat(Location.redact(URI.create("https://host/images/abc"))).isEqualTo("https://host/images/abc");
        assertThat(Location.redact(URI.create("//u:p/q@host/x"))).isEqualTo("//***@host/x");
        assertThat(Location.redact(URI.create("images/abc"))).isEqualTo("images/abc");
    }

    @Test
    void locationRejectsRelativeUri() {
        assertThatThrownBy(() -> Location.of(URI.create("images/abc")))
                .isInstanceOf(InvalidLocationException.class)
                .hasMessage("Cannot use location images/abc: the URI has no scheme");
    }

    @Test
    void locationMetadataIsCopiedAndImmutable() {
        Map<String, String> metadata = new HashMap<>(Map.of("id", "fs1", "mountpoint", "/mnt"));
        Location location = Location.of(URI.create("file:///mnt/images/abc"), "local", metadata);
        metadata.put("id", "changed");
        assertThat(location.metadata()).containsEntry("id", "fs1");
        assertThatThrownBy(() -> location.metadata().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
        assertThat(location.scheme()).isEqualTo("file");
        assertThat(location.hasStore()).isTrue();
        assertThat(Location.of(URI.create("FILE:///x")).scheme()).isEqualTo("file");
        assertThat(Location.of(URI.create("file:///x")).hasStore()).isFalse();
        assertThat(location.withStore("other").store()).isEqualTo("other");
        assertThat(location).hasToString("file:///mnt/images/abc (store local)");
    }

    @Test
    void redactHidesUserInfoOnly() {
        assertThat(Location.redact(URI.create("https://user:pw@example.com:8443/a?b=c")))
                .isEqualTo("https://***@example.com:8443/a?b=c");
        assertThat(Location.redact(URI.create("https://example.com/a"))).isEqualTo("https://example.com/a");
        assertThat(Location.redact(URI.create("file:///a/b"))).isEqualTo("file:///a/b");
        assertThat(Location.redact(null)).isEqualTo("null");
    }

    @Test
    void byteRangeValidatesAndResolves() {
        assertThat(ByteRange.all().isAll()).isTrue();
        assertThat(ByteRange.all().within(10, "x")).isEqualTo(10);
        assertThat(ByteRange.from(10).within(10, "x")).isZero();
        assertThat(ByteRange.of(2, 3).within(10, "x")).isEqualTo(3);
        assertThat(ByteRange.of(7, 3).within(10, "x")).isEqualTo(3);
        assertThat(ByteRange.of(2, 3)).hasToString("[2, 5)");
        assertThat(ByteRange.from(4)).hasToString("[4, end)");
        assertThatThrownBy(() -> ByteRange.of(-1, 3)).isInstanceOf(InvalidRangeException.class)
                .hasMessage("Cannot read range: offset -1 is negative");
        assertThatThrownBy(() -> ByteRange.of(0, -2)).isInstanceOf(InvalidRangeException.class)
                .hasMessage("Cannot read range: length -2 is negative");
        assertThatThrownBy(() -> ByteRange.of(Long.MAX_VALUE, 2)).isInstanceOf(InvalidRangeException.class)
                .hasMessageContaining("overflows");
        assertThatThrownBy(() -> ByteRange.from(11).within(10, "file:///a"))
                .isInstanceOf(InvalidRangeException.class)
                .hasMessage("Cannot read file:///a: range [11, end) starts after the end of the object (10 bytes)");
        assertThatThrownBy(() -> ByteRange.of(8, 3).within(10, "file:///a"))
                .isInstanceOf(InvalidRangeException.class)
                .hasMessage("Cannot read file:///a: range [8, 11) ends after the end of the object (10 bytes)");
    }

    @Test
    void imageIdsAcceptSafeIdsOnly() {
        assertThat(ImageIds.isValid("a9ff0a36-c6bd-4c4e-b3b2-50a2a1cf4e44")).isTrue();
        assertThat(ImageIds.isValid("image_1.qcow2")).isTrue();
        assertThat(ImageIds.isValid("x".repeat(ImageIds.MAX_LENGTH))).isTrue();
        for (String bad : new String[] {"", ".", "..", "../etc/passwd", "a/b", "a\\b", "a\0b", ".hidden",
                "x".repeat(ImageIds.MAX_LENGTH + 1), "caf\u00e9", "\u0430bc", "a b", "-flag", "a\nb"}) {
            assertThat(ImageIds.isValid(bad)).as("id %s", ImageIds.quote(bad)).isFalse();
            assertThatThrownBy(() -> ImageIds.requireValid(bad)).isInstanceOf(InvalidImageIdException.class)
                    .hasMessageStartingWith("Cannot use image id ");
        }
        assertThatThrownBy(() -> ImageIds.requireValid("a\0b")).hasMessage(
                "Cannot use image id 'a\\u0000b': character U+0000 at index 1 is not allowed (use [A-Za-z0-9._-])");
        assertThatThrownBy(() -> ImageIds.requireValid("..")).hasMessage(
                "Cannot use image id '..': it must start with an ASCII letter or digit");
        assertThatThrownBy(() -> ImageIds.requireValid(null)).hasMessage("Cannot use image id null: it is null");
    }

    @Test
    void hashAlgorithmsByName() {
        assertThat(HashAlgorithm.fromId("sha512")).isEqualTo(HashAlgorithm.SHA512);
        assertThat(HashAlgorithm.fromId("SHA-256")).isEqualTo(HashAlgorithm.SHA256);
        assertThat(HashAlgorithm.fromId("sha3-256")).isEqualTo(HashAlgorithm.SHA3_256);
        assertThat(HashAlgorithm.SHA512.hexLength()).isEqualTo(128);
        assertThatThrownBy(() -> HashAlgorithm.fromId("md4")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("unknown hash algorithm 'md4' (known: sha1, sha224, sha256");
    }

    @Test
    void multihashValidatesHex() {
        String empty256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        assertThat(new Multihash(HashAlgorithm.SHA256, empty256.toUpperCase()).hex()).isEqualTo(empty256);
        assertThat(new Multihash(HashAlgorithm.SHA256, empty256)).hasToString("sha256:" + empty256);
        assertThatThrownBy(() -> new Multihash(HashAlgorithm.SHA512, empty256))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("not a sha512 hex digest");
        assertThatThrownBy(() -> new Multihash(HashAlgorithm.SHA256, empty256.replace('e', 'g')))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void errorsCarryStableCodes() {
        assertThat(new ObjectNotFoundException("Cannot read x: gone").errorCode().code()).isEqualTo("not-found");
        assertThat(new ObjectNotFoundException("m").retryable()).isFalse();
        assertThat(new ServiceUnavailableException("m").retryable()).isTrue();
        assertThat(new StoreTimeoutException("m").retryable()).isTrue();
        assertThat(new DuplicateObjectException("Cannot add x: exists"))
                .hasToString("dev.stowage.api.DuplicateObjectException [duplicate]: Cannot add x: exists");
        OperationNotSupportedException unsupported =
                new OperationNotSupportedException(Capability.WRITE, "Cannot add x: read-only store");
        assertThat(unsupported.capability()).isEqualTo(Capability.WRITE);
        assertThat(unsupported.errorCode()).isEqualTo(ErrorCode.UNSUPPORTED_OPERATION);
        assertThat(new ConfigurationException("stowage.x", "m").key()).isEqualTo("stowage.x");
    }

    @Test
    void allLocationsFailedListsEveryAttempt() {
        Location a = Location.of(URI.create("memory://a/x"));
        Location b = Location.of(URI.create("memory://b/x"));
        AllLocationsFailedException error = new AllLocationsFailedException(java.util.List.of(
                new AllLocationsFailedException.LocationFailure(a, new ObjectNotFoundException("Cannot read a: gone")),
                new AllLocationsFailedException.LocationFailure(b, new ServiceUnavailableException("Cannot read b: 503"))));
        assertThat(error).hasMessage("Cannot read image from any of 2 locations:"
                + "\n  - memory://a/x [not-found] Cannot read a: gone"
                + "\n  - memory://b/x [service-unavailable] Cannot read b: 503");
        assertThat(error.getSuppressed()).hasSize(2);
        assertThat(error.failures()).extracting(f -> f.location()).containsExactly(a, b);
    }

    @Test
    void addResultValidates() {
        Location location = Location.of(URI.create("memory://a/x"));
        Multihash hash = new Multihash(HashAlgorithm.SHA256,
                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assertThatThrownBy(() -> new AddResult(location, -1, "d41d8cd98f00b204e9800998ecf8427e", hash))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("bytesWritten is negative: -1");
        assertThatThrownBy(() -> new AddResult(location, 0, "abc", hash))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("md5");
        assertThat(new AddResult(location, 0, "d41d8cd98f00b204e9800998ecf8427e", hash).bytesWritten()).isZero();
    }
}
