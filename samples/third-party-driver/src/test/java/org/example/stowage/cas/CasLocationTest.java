package org.example.stowage.cas;

import dev.stowage.api.InvalidLocationException;
import dev.stowage.api.UnknownSchemeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CasLocationTest {
    private static CasLocation parse(String uri) {
        return CasLocation.parse(URI.create(uri), "images", "local");
    }

    @Test
    void parsesAndFormatsTheSameUri() {
        CasLocation location = parse("cas://images/img-1");

        assertThat(location).isEqualTo(new CasLocation("images", "img-1"));
        assertThat(location.uri()).isEqualTo(URI.create("cas://images/img-1"));
    }

    @Test
    void schemeAndStoreIdAreCaseInsensitiveAndComeBackInLowerCase() {
        assertThat(parse("CAS://Images/img-1").uri()).isEqualTo(URI.create("cas://images/img-1"));
    }

    @Test
    void rejectsAForeignScheme() {
        assertThatThrownBy(() -> parse("file:///var/lib/images/img-1"))
                .isInstanceOf(UnknownSchemeException.class)
                .hasMessage("Cannot use location file:///var/lib/images/img-1: store local handles scheme cas, not file");
    }

    @Test
    void rejectsCredentialsWithoutRepeatingThem() {
        assertThatThrownBy(() -> parse("cas://admin:hunter2@images/img-1"))
                .isInstanceOf(InvalidLocationException.class)
                .hasMessage("Cannot use location cas://***@images/img-1: a location must not carry credentials (user"
                        + " info in the URI)")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void rejectsALocationOfAnotherStore() {
        assertThatThrownBy(() -> parse("cas://backup/img-1"))
                .isInstanceOf(InvalidLocationException.class)
                .hasMessage("Cannot use location cas://backup/img-1: it belongs to cas store 'backup', this store is"
                        + " 'images'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"cas://images/img-1?sha256=2cf2", "cas://images/img-1#part", "cas://images/img-1?"})
    void rejectsAQueryOrFragment(String uri) {
        assertThatThrownBy(() -> parse(uri))
                .isInstanceOf(InvalidLocationException.class)
                .hasMessage("Cannot use location " + uri + ": a location has no query or fragment; expected "
                        + "cas://images/<image id>");
    }

    @ParameterizedTest
    @ValueSource(strings = {"cas://images/..", "cas://images/.hidden", "cas://images/a%2Fb", "cas://images/a%00",
            "cas://images/%D0%B0bc", "cas://images/", "cas://images/a%20b"})
    void rejectsUnsafeImageIds(String uri) {
        assertThatThrownBy(() -> parse(uri))
                .isInstanceOf(InvalidLocationException.class)
                .hasMessageStartingWith("Cannot use location " + uri + ": the path is not a valid image id '");
    }

    @ParameterizedTest
    @ValueSource(strings = {"cas://images/a/b", "cas://images/../etc/passwd", "cas://images", "cas:images/img-1"})
    void rejectsOtherShapes(String uri) {
        assertThatThrownBy(() -> parse(uri))
                .isInstanceOf(InvalidLocationException.class)
                .hasMessage("Cannot use location " + uri + ": expected cas://images/<image id>");
    }

    @Test
    void rejectsAnOverLongUriBeforeParsingIt() {
        String uri = "cas://images/" + "a".repeat(2000);
        assertThatThrownBy(() -> parse(uri))
                .isInstanceOf(InvalidLocationException.class)
                .hasMessage("Cannot use location " + uri.substring(0, 80) + "...: the URI is longer than 1024 "
                        + "characters");
    }
}
