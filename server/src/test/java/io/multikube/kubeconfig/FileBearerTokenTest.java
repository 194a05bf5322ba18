package io.multikube.kubeconfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileBearerTokenTest {
    @TempDir
    Path dir;

    @Test
    void tokenFileIsReReadWhenItChanges() throws Exception {
        Path file = Files.writeString(dir.resolve("token"), "first");
        FileBearerToken token = new FileBearerToken(file);
        assertThat(token.value()).isEqualTo("first");

        Files.writeString(file, "second-and-longer");

        assertThat(token.value()).isEqualTo("second-and-longer");
    }

    @Test
    void sameSizeRewriteIsSeenThroughModificationTime() throws Exception {
        Path file = Files.writeString(dir.resolve("token"), "aaaa");
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2030-01-01T00:00:00Z")));
        FileBearerToken token = new FileBearerToken(file);
        assertThat(token.value()).isEqualTo("aaaa");

        Files.writeString(file, "bbbb");
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2030-01-01T00:00:01Z")));

        assertThat(token.value()).isEqualTo("bbbb");
    }

    @Test
    void unchangedFileIsServedFromMemory() throws Exception {
        FileTime fixed = FileTime.from(Instant.parse("2030-01-01T00:00:00Z"));
        Path file = Files.writeString(dir.resolve("token"), "aaaa");
        Files.setLastModifiedTime(file, fixed);
        FileBearerToken token = new FileBearerToken(file);
        assertThat(token.value()).isEqualTo("aaaa");

        // Same inode, size and time: indistinguishable from no change, so not read again.
        Files.writeString(file, "bbbb");
        Files.setLastModifiedTime(file, fixed);

        assertThat(token.value()).isEqualTo("aaaa");
    }

    @Test
    void trimsWhitespace() throws Exception {
        Path file = Files.writeString(dir.resolve("token"), "  \n token-value \r\n");

        assertThat(new FileBearerToken(file).value()).isEqualTo("token-value");
    }

    @Test
    void emptyFileFailsNamingThePath() throws Exception {
        Path file = Files.writeString(dir.resolve("token"), " \n");

        assertThatThrownBy(() -> new FileBearerToken(file).value())
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("empty");
    }

    @Test
    void unreadableFileFailsNamingThePathNotTheOldToken() throws Exception {
        Path file = Files.writeString(dir.resolve("token"), "old-secret");
        FileBearerToken token = new FileBearerToken(file);
        token.value();
        Files.delete(file);

        assertThatThrownBy(token::value)
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining(file.toString())
                .hasMessageNotContaining("old-secret");
    }

    @Test
    void toStringNeverShowsTheToken() throws Exception {
        Path file = Files.writeString(dir.resolve("token"), "secret-value");
        FileBearerToken token = new FileBearerToken(file);
        token.value();

        assertThat(token.toString()).doesNotContain("secret-value").contains(file.toString());
        assertThat(new StaticBearerToken("secret-value").toString()).doesNotContain("secret-value");
    }
}
