package evalh.decontam.corpus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A valid document longer than Jackson's default 20 M-character string limit is indexed, not
 * counted malformed; one past evalh's stated cap is an error naming file and line.
 */
class BigDocumentTest {
  @TempDir Path tmp;

  /**
   * Writes {"id":"big","text":"ab ab ab ..."} of {@code chars} text characters, then a small one.
   */
  private static Path corpus(Path file, long chars) throws IOException {
    byte[] unit = "ab ".getBytes(StandardCharsets.US_ASCII);
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
      out.write("{\"id\":\"big\",\"text\":\"".getBytes(StandardCharsets.US_ASCII));
      for (long i = 0; i < chars / 3; i++) {
        out.write(unit);
      }
      for (long i = 0; i < chars % 3; i++) {
        out.write('x');
      }
      out.write(
          "\"}\n{\"id\":\"small\",\"text\":\"after the big one\"}\n"
              .getBytes(StandardCharsets.US_ASCII));
    }
    return file;
  }

  @Test
  void aDocumentOf21MillionCharactersIsIndexedNotMalformed() throws Exception {
    Path f = corpus(tmp.resolve("big.jsonl"), 21_000_000);
    FileStats stats = new FileStats();
    List<String> ids = new ArrayList<>();
    List<Integer> lengths = new ArrayList<>();
    new JsonlCorpusReader(List.of("text"), "id")
        .read(
            CorpusFile.local(f),
            d -> {
              ids.add(d.id());
              lengths.add(d.text().length());
              return true;
            },
            stats);
    assertThat(stats.malformed).isZero();
    assertThat(stats.docs).isEqualTo(2);
    assertThat(ids).containsExactly("big", "small");
    assertThat(lengths.get(0)).isEqualTo(21_000_000);
  }

  @Test
  void aDocumentPastTheCapIsAnErrorNamingFileAndLine() throws Exception {
    Path f = corpus(tmp.resolve("huge.jsonl"), JsonlCorpusReader.MAX_DOCUMENT_BYTES + 10L);
    assertThatThrownBy(
            () ->
                new JsonlCorpusReader(List.of("text"), "id")
                    .read(CorpusFile.local(f), d -> true, new FileStats()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("huge.jsonl line 1")
        .hasMessageContaining("longer than 64 MiB");
  }
}
