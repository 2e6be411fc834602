package dev.stowage.s3;

import dev.stowage.api.InvalidLocationException;
import dev.stowage.api.Location;
import dev.stowage.api.UnknownSchemeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.quicktheories.core.Gen;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

/** Location parsing and making (rule S9), including glance's legacy URIs with credentials. No server needed. */
class S3LocationsTest {
    private static final String ID_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-";
    private static final String SECRET_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/+=:@";

    private final S3Locations plain = new S3Locations("images", "bucket", "", URI.create("https://s3.example.com:9000"));
    private final S3Locations prefixed = new S3Locations("images", "bucket", "glance/v2/", null);
    private final S3Locations aws = new S3Locations("images", "bucket", "", null);

    private static Gen<String> text(String alphabet, int min, int max) {
        return lists().of(integers().between(0, alphabet.length() - 1)).ofSizeBetween(min, max)
                .map(indexes -> indexes.stream().map(i -> String.valueOf(alphabet.charAt(i)))
                        .reduce("", String::concat));
    }

    private static Gen<String> imageIds() {
        return text(ID_CHARS, 0, 199).zip(integers().between(0, 61), (rest, first) -> ID_CHARS.charAt(first) + rest);
    }

    @Test
    void everyValidImageIdRoundTrips() {
        qt().forAll(imageIds()).checkAssert(id -> {
            for (S3Locations locations : new S3Locations[]{plain, prefixed}) {
                String key = locations.key(id);
                URI uri = locations.uri(key);
                assertThat(locations.parseKey(uri)).isEqualTo(key);
                assertThat(Location.of(uri).uri()).isEqualTo(uri);
            }
        });
    }

    @Test
    void canonicalLocationsLookLikeBucketThenKey() {
        assertThat(plain.uri(plain.key("6a7b"))).isEqualTo(URI.create("s3://bucket/6a7b"));
        assertThat(prefixed.uri(prefixed.key("6a7b"))).isEqualTo(URI.create("s3://bucket/glance/v2/6a7b"));
    }

    @Test
    void legacyGlanceLocationsDropTheirCredentialsWhateverTheSecretHolds() {
        // AWS secrets are base64-like and may hold '/' (glance bug 2134325); we also try ':' and '@'
        qt().forAll(text(SECRET_CHARS, 8, 40), imageIds()).checkAssert((secret, id) -> {
            String marked = "SK" + secret;
            URI uri = URI.create("s3+https://AKIDLEGACY:" + marked + "@s3.example.com/bucket/" + id);
            assertThat(plain.parseKey(uri)).isEqualTo(id);
            assertThat(plain.uri(plain.parseKey(uri)).toString()).doesNotContain("AKIDLEGACY").doesNotContain(marked);
            assertThatThrownBy(() -> prefixed.parseKey(uri))
                    .isInstanceOf(InvalidLocationException.class)
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain(marked).doesNotContain("AKIDLEGACY")
                            .startsWith("Cannot use location s3+https://***@"));
        });
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "s3://ak:sk@s3.example.com/bucket/abc|abc",
            "s3+http://ak:sk@s3.example.com:9000/bucket/abc|abc",
            "s3+https://ak:s%2Fk@S3.EXAMPLE.COM/bucket/abc|abc",
            "s3+https://s3.example.com/some/path/bucket/abc|abc",
            "s3://s3.example.com/bucket/abc|abc",
            "S3://bucket/abc|abc"})
    void legacyAndCanonicalFormsNameTheSameKey(String uri, String key) {
        assertThat(plain.parseKey(URI.create(uri))).isEqualTo(key);
    }

    @Test
    void legacyLocationsOnAwsNeedAnAmazonHost() {
        assertThat(aws.parseKey(URI.create("s3://ak:sk@s3.amazonaws.com/bucket/abc"))).isEqualTo("abc");
        assertThat(aws.parseKey(URI.create("s3+https://ak:sk@s3.eu-west-1.amazonaws.com/bucket/abc")))
                .isEqualTo("abc");
        assertThatThrownBy(() -> aws.parseKey(URI.create("s3://ak:sk@evil.example.com/bucket/abc")))
                .isInstanceOf(InvalidLocationException.class)
                .hasMessage("Cannot use location s3://***@evil.example.com/bucket/abc: it names S3 host"
                        + " 'evil.example.com' but store images uses AWS S3");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "s3://other/abc|Cannot use location s3://other/abc: expected s3://bucket/<key> (or glance's"
                    + " s3://<host>/<bucket>/<key>)",
            "s3://bucket/|Cannot use location s3://bucket/: the key does not end in a valid image id (found '')",
            "s3://bucket|Cannot use location s3://bucket: the key does not end in a valid image id (found '')",
            "s3://bucket/a/b|Cannot use location s3://bucket/a/b: the key does not end in a valid image id"
                    + " (found 'a/b')",
            "s3://bucket/..|Cannot use location s3://bucket/..: the key does not end in a valid image id"
                    + " (found '..')",
            "s3://bucket/%2e%2e|Cannot use location s3://bucket/%2e%2e: the key does not end in a valid image id"
                    + " (found '%2e%2e')",
            "s3://bucket/abc?x=1|Cannot use location s3://bucket/abc?x=1: a location has no query or fragment",
            "s3://bucket/abc#f|Cannot use location s3://bucket/abc#f: a location has no query or fragment",
            "s3://ak:SECRET@s3.example.com/other/abc|Cannot use location s3://***@s3.example.com/other/abc: it"
                    + " names bucket 'other' but store images uses bucket 'bucket'",
            "s3://ak:SECRET@elsewhere.example.com/bucket/abc|Cannot use location"
                    + " s3://***@elsewhere.example.com/bucket/abc: it names S3 host 'elsewhere.example.com' but store"
                    + " images uses s3.example.com",
            "s3+https://bucket/abc|Cannot use location s3+https://bucket/abc: expected s3://bucket/<key> (or"
                    + " glance's s3://<host>/<bucket>/<key>)",
            "s3:bucket/abc|Cannot use location s3:bucket/abc: expected s3://bucket/<key>"})
    void malformedOrForeignLocationsAreRejectedWithTheReason(String uri, String message) {
        assertThatThrownBy(() -> plain.parseKey(URI.create(uri)))
                .isInstanceOf(InvalidLocationException.class)
                .hasMessage(message);
    }

    @Test
    void overLongIdsAreRejected() {
        String id = "a".repeat(201);
        assertThatThrownBy(() -> plain.parseKey(URI.create("s3://bucket/" + id)))
                .isInstanceOf(InvalidLocationException.class)
                .hasMessageEndingWith("the key does not end in a valid image id (found '" + "a".repeat(80)
                        + "...(201 chars)')");
    }

    @Test
    void foreignSchemesAreUnknown() {
        assertThatThrownBy(() -> plain.parseKey(URI.create("file:///var/lib/glance/images/abc")))
                .isInstanceOf(UnknownSchemeException.class)
                .hasMessage("Cannot use location file:///var/lib/glance/images/abc: store images handles schemes s3,"
                        + " s3+http and s3+https, not 'file'");
        assertThatThrownBy(() -> plain.parseKey(URI.create("swift://user:SECRET@host/container/abc")))
                .isInstanceOf(UnknownSchemeException.class)
                .hasMessage("Cannot use location swift://***@host/container/abc: store images handles schemes s3,"
                        + " s3+http and s3+https, not 'swift'");
    }

    @Test
    void redactHidesEverythingBeforeTheLastAt() {
        assertThat(S3Locations.redact(URI.create("s3://ak:se/cret@host/b/k"))).isEqualTo("s3://***@host/b/k");
        assertThat(S3Locations.redact(URI.create("s3://bucket/key"))).isEqualTo("s3://bucket/key");
        assertThat(S3Locations.redact(URI.create("http://u:p@h:9000"))).isEqualTo("http://***@h:9000");
        assertThat(S3Locations.redact(null)).isEqualTo("null");
    }
}
