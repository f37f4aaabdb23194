package evalh.decontam;

import static org.assertj.core.api.Assertions.assertThat;

import evalh.decontam.cli.DecontamCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Bad --items files are refused before any index is touched, naming file, line and field. */
class ItemsFileTest {
  @TempDir Path tmp;
  final StringWriter err = new StringWriter();

  private static final String GOOD =
      "{\"task\":\"t\",\"doc_id\":0,\"question\":\"q\",\"choices\":[\"a\",\"b\"],\"gold\":0}\n";

  private String refused(byte[] items) throws Exception {
    Path f = Files.write(tmp.resolve("items.jsonl"), items);
    CommandLine cl = new CommandLine(new DecontamCommand());
    cl.setOut(new PrintWriter(new StringWriter(), true));
    cl.setErr(new PrintWriter(err, true));
    // the corpus does not exist: the items must be refused before it is looked at
    int rc =
        cl.execute(
            "--corpus",
            tmp.resolve("no-index").toString(),
            "--items",
            f.toString(),
            "--out",
            tmp.resolve("r").toString());
    assertThat(rc).isEqualTo(1);
    assertThat(tmp.resolve("r")).doesNotExist();
    return err.toString();
  }

  private String refused(String items) throws Exception {
    return refused(items.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  @Test
  void duplicateDocIdNamesBothLines() throws Exception {
    assertThat(refused(GOOD + GOOD.replace("\"a\"", "\"c\"")))
        .contains("items.jsonl line 2: duplicate doc_id 0 in task 't' (first on line 1)");
  }

  @Test
  void negativeDocId() throws Exception {
    assertThat(refused(GOOD.replace("\"doc_id\":0", "\"doc_id\":-3")))
        .contains("items.jsonl line 1: doc_id -3 is negative");
  }

  @Test
  void nonStringChoice() throws Exception {
    assertThat(refused(GOOD.replace("\"b\"", "7")))
        .contains("items.jsonl line 1: choices[1] is number 7, not a string");
  }

  @Test
  void invalidUtf8NamesLineAndByte() throws Exception {
    byte[] good = GOOD.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] bad =
        GOOD.replace("\"q\"", "\"caf?\"").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    int q = GOOD.indexOf("\"q\"") + 4; // the '?' byte
    bad[q] = (byte) 0xE9; // latin-1 e-acute
    byte[] both = new byte[good.length + bad.length];
    System.arraycopy(good, 0, both, 0, good.length);
    System.arraycopy(bad, 0, both, good.length, bad.length);
    assertThat(refused(both))
        .contains("items.jsonl line 2: invalid UTF-8 near byte " + q + " of the line (0xe9)")
        .doesNotContain("Input length");
  }
}
