package dev.stowage.spi;

import dev.stowage.api.HashAlgorithm;
import dev.stowage.api.SizeMismatchException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StreamsTest {
    private static final byte[] DATA = "The quick brown fox jumps over the lazy dog".getBytes(StandardCharsets.US_ASCII);

    @Test
    void hashingStreamComputesMd5AndMultihash() throws IOException {
        HashingInputStream in = new HashingInputStream(new ByteArrayInputStream(DATA), HashAlgorithm.SHA256);
        assertThat(in.read()).isEqualTo('T');
        assertThat(in.skip(3)).isEqualTo(3);
        assertThat(in.readAllBytes()).hasSize(DATA.length - 4);
        assertThat(in.count()).isEqualTo(DATA.length);
        assertThat(in.md5Hex()).isEqualTo("9e107d9d372bb6826bd81d3542a419d6");
        assertThat(in.multihash().hex())
                .isEqualTo("d7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592");
        assertThat(in.markSupported()).isFalse();
    }

    @Test
    void hashesOfEmptyInput() throws IOException {
        HashingInputStream in = new HashingInputStream(InputStream.nullInputStream(), HashAlgorithm.SHA512);
        assertThat(in.readAllBytes()).isEmpty();
        assertThat(in.md5Hex()).isEqualTo("d41d8cd98f00b204e9800998ecf8427e");
        assertThat(in.multihash().hex()).startsWith("cf83e1357eefb8bd");
    }

    @Test
    void sizeEnforcingPassesExactSize() throws IOException {
        SizeEnforcingInputStream in = new SizeEnforcingInputStream(new ByteArrayInputStream(DATA), DATA.length, "img");
        assertThat(in.readAllBytes()).isEqualTo(DATA);
        assertThat(in.read()).isEqualTo(-1);
        assertThat(in.count()).isEqualTo(DATA.length);
    }

    @Test
    void sizeEnforcingRejectsShorterData() {
        SizeEnforcingInputStream in = new SizeEnforcingInputStream(new ByteArrayInputStream(DATA), DATA.length + 1, "img");
        assertThatThrownBy(in::readAllBytes).isInstanceOf(SizeMismatchException.class)
                .hasMessage("Cannot add img: the data ended after 43 bytes, the declared size is 44");
    }

    @Test
    void sizeEnforcingRejectsLongerData() throws IOException {
        SizeEnforcingInputStream in = new SizeEnforcingInputStream(new ByteArrayInputStream(DATA), 10, "img");
        assertThat(in.readNBytes(10)).hasSize(10);
        assertThatThrownBy(in::read).isInstanceOf(SizeMismatchException.class)
                .hasMessage("Cannot add img: the data is longer than the declared size 10");
    }

    @Test
    void sizeEnforcingZeroDeclaredSize() throws IOException {
        assertThat(new SizeEnforcingInputStream(InputStream.nullInputStream(), 0, "img").readAllBytes()).isEmpty();
        assertThatThrownBy(() -> new SizeEnforcingInputStream(new ByteArrayInputStream(DATA), 0, "img").readAllBytes())
                .isInstanceOf(SizeMismatchException.class);
    }

    @Test
    void unknownSizePassesEverything() throws IOException {
        SizeEnforcingInputStream in =
                new SizeEnforcingInputStream(new ByteArrayInputStream(DATA), Store.UNKNOWN_SIZE, "img");
        assertThat(in.readAllBytes()).isEqualTo(DATA);
        assertThatThrownBy(() -> new SizeEnforcingInputStream(InputStream.nullInputStream(), -5, "img"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
