package dev.stowage.file;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's option table is the one generated from {@link FileStoreDriver#options()}. To regenerate it after
 * changing an option: {@code mvn -pl drivers/file -am verify -Dtest=ReadmeTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dstowage.readme.update=true}.
 */
class ReadmeTest {
    private static final Path README = Path.of("README.md");

    @Test
    void theOptionsTableIsGeneratedFromTheDeclarations() throws Exception {
        String readme = Files.readString(README);
        String generated = OptionsMarkdown.table(new FileStoreDriver().options());
        if (Boolean.getBoolean("stowage.readme.update")) {
            Files.writeString(README, OptionsMarkdown.replaceTable(readme, generated));
            readme = Files.readString(README);
        }
        assertThat(OptionsMarkdown.currentTable(readme))
                .as("drivers/file/README.md option table; regenerate with -Dstowage.readme.update=true")
                .isEqualTo(generated);
    }

    @Test
    void theMetadataFileExampleInTheReadmeIsAccepted(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        String readme = Files.readString(README);
        String begin = "```json\n";
        int start = readme.indexOf(begin);
        assertThat(start).as("README holds a ```json metadata-file example").isNotNegative();
        String json = readme.substring(start + begin.length(), readme.indexOf("```", start + begin.length()));
        Path file = Files.writeString(dir.resolve("metadata.json"), json);
        assertThat(MetadataFile.read(file)).extracting(MountEntry::id).containsExactly("nfs-images", "ceph-images");
    }
}
