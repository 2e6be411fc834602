package org.example.stowage.cas;

import dev.stowage.api.HashAlgorithm;
import dev.stowage.api.InvalidLocationException;
import dev.stowage.api.Multihash;
import dev.stowage.api.UnknownSchemeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CasLocationTest {
    private static final String HEX = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";

    private static CasLocation parse(String uri) {
        return CasLocation.parse(URI.create(uri), "images", "local");
    }

    @Test
    void parsesAndFormatsTheSameUri() {
        CasLocation location = parse("cas://images/img-1?sha256=" + HEX);

        assertThat(location).isEqualTo(new CasLocation("images", "img-1", new Multihash(HashAlgorithm.SHA256, HEX)));
        assertThat(location.uri()).isEqualTo(URI.create("cas://images/img-1?sha256=" + HEX));
    }

    @Test
    void schemeAndStoreIdAreCaseInsensitiveAndComeBackInLowerCase() {
        assertThat(parse("CAS://Images/img-1?sha256=" + HEX).uri())
                .isEqualTo(URI.create("cas://images/img-1?sha256=" + HEX));
    }

    @Test
    void rejectsAForeignScheme() {
        assertThatThrownBy(() -> parse("file:///var/lib/images/img-1"))
                .isInstanceOf(UnknownSchemeException.class)
                .hasMessage("Cannot use location file:///var/lib/images/img-1: store local handles scheme cas, not file");
    }

    @Test
    void rejectsCredentialsWithoutRepeatingThem() {
        assertThatThrownBy(() -> parse("cas://admin:hunter2@images/img-1?sha256=" + HEX))
                .isInstanceOf(InvalidLocationException.class)
                .hasMessageStartingWith("Cannot use location cas://***@images/img-1")
                .hasMessageEndingWith(": a location must not carry credentials (user info in the URI)")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void rejectsALocationOfAnotherStore() {
        assertThatThrownBy(() -> parse("cas://backup/img-1?sha256=" + HEX))
                .isInstanceOf(InvalidLocationException.class)
                .hasMessageEndingWith(": it belongs to cas store 'backup', this store is 'images'");
    }

    @Test
    void rejectsAMissingDigest() {
        assertThatThrownBy(() -> parse("cas://images/img-1"))
                .isInstanceOf(InvalidLocationException.class)
                .hasMessage("Cannot use location cas://images/img-1: the content digest is missing; expected "
                        + "cas://images/<image id>?<algorithm>=<hex digest>");
    }

    @Test
    void rejectsAnUnknownAlgorithm() {
        assertThatThrownBy(() -> parse("cas://images/img-1?md5=5d41402abc4b2a76b9719d911017c592"))
                .isInstanceOf(InvalidLocationException.class)
                .hasMessageContaining(": unknown digest algorithm 'md5' (known: sha1, sha224, sha256,");
    }

    @ParameterizedTest
    @ValueSource(strings = {"2CF24DBA5FB0A30E26E83B2AC5B9E29E1B161E5C1FA7425E73043362938B9824", "2cf24dba", "zz"})
    void rejectsADigestThatIsNotLowerCaseHexOfTheRightLength(String hex) {
        assertThatThrownBy(() -> parse("cas://images/img-1?sha256=" + hex))
                .isInstanceOf(InvalidLocationException.class)
                .hasMessageEndingWith(": the digest is not 64 lower-case hex digits");
    }

    @ParameterizedTest
    @ValueSource(strings = {"cas://images/..?sha256=", "cas://images/.hidden?sha256=", "cas://images/a%2Fb?sha256=",
            "cas://images/a%00?sha256=", "cas://images/%D0%B0bc?sha256="})
    void rejectsUnsafeImageIds(String prefix) {
        assertThatThrownBy(() -> parse(prefix + HEX))
                .isInstanceOf(InvalidLocationException.class)
                .hasMessageContaining(": the path is not a valid image id '");
    }

    @ParameterizedTest
    @ValueSource(strings = {"cas://images/a/b?sha256=", "cas://images/?sha256=", "cas://images?sha256=",
            "cas:images/img-1?sha256="})
    void rejectsOtherShapes(String prefix) {
        assertThatThrownBy(() -> parse(prefix + HEX))
                .isInstanceOf(InvalidLocationException.class)
                .hasMessageStartingWith("Cannot use location " + prefix)
                .hasMessageMatching(".*: (expected cas://images/<image id>\\?<algorithm>=<hex digest>"
                        + "|the path is not a valid image id '')");
    }

    @Test
    void rejectsAFragment() {
        assertThatThrownBy(() -> parse("cas://images/img-1?sha256=" + HEX + "#part"))
                .isInstanceOf(InvalidLocationException.class)
                .hasMessageContaining(": a location has no fragment");
    }

    @Test
    void rejectsAnOverLongUriBeforeParsingIt() {
        String uri = "cas://images/" + "a".repeat(2000) + "?sha256=" + HEX;
        assertThatThrownBy(() -> parse(uri))
                .isInstanceOf(InvalidLocationException.class)
                .hasMessageEndingWith("...: the URI is longer than 1024 characters");
    }
}
