package dev.stowage.s3;

import java.util.List;

/**
 * Every secret key the S3 tests configure or put into locations, in one place, so the suite-wide watch
 * ({@link SuiteWatch}) knows them from the first test on. Each is distinctive, so a match is never a coincidence, and
 * holds '/' and '+' as real AWS secrets do.
 */
final class TestSecrets {
    /** The embedded S3Proxy's secret key: the one nearly every store of the suite is configured with. */
    static final String SERVER = "Zq8sEcReT/kEy+0f-Th3-Te5t-Serv3r";
    /** A wrong secret for the 403 tests. */
    static final String WRONG = "Wr0ngS3cret/For+Forbidden-Tests";
    /** A secret inside glance legacy locations ({@code s3://access:secret@host/bucket/key}). */
    static final String IN_LOCATION = "L0cati0nS3cret/In+Glance-Uri";
    /** A secret that only appears in configuration. */
    static final String IN_CONFIG = "C0nfigS3cret/Only+In-Options";
    /** Another configured secret (settings tests). */
    static final String IN_SETTINGS = "cfgS3cr3t/Value+Never-Shown";
    /** The wrong secret of the store tests' 403 case. */
    static final String NOT_THE_SECRET = "N0t-The/S3cret+Of-The-Server";

    /** All of them. */
    static final List<String> ALL = List.of(SERVER, WRONG, IN_LOCATION, IN_CONFIG, IN_SETTINGS, NOT_THE_SECRET);

    private TestSecrets() {
    }
}
