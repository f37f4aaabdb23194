package evalh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Spark job jar as the build packaged it (runs in the package phase, after the shade plugin;
 * see cli/pom.xml), against the jars of a Spark 4.2.0 distribution (spark-dist's class path). Issue
 * 16 items 1 and 8: the jar must need exactly the Java the README documents, and bundle no class
 * that Spark also ships (two copies of a class on one class path: whichever comes first wins, on
 * the driver and on the executors alike).
 */
class JobJarCheckTest {
  /** Java 25's class-file major version: the README says the job needs Java 25. */
  static final int JAVA_25 = 69;

  private static Path jobJar;
  private static List<Path> sparkJars;

  @BeforeAll
  static void paths() throws IOException {
    jobJar = Path.of(System.getProperty("evalh.jobJar"));
    Path cp = Path.of(System.getProperty("evalh.sparkDistClasspath"));
    assertThat(jobJar).isRegularFile();
    assertThat(cp).isRegularFile();
    sparkJars = new ArrayList<>();
    for (String s : Files.readString(cp).strip().split(":")) {
      sparkJars.add(Path.of(s));
    }
  }

  @Test
  void sparkDistIsTheSparkVersionTheBuildCompilesAgainst() {
    String core = "spark-core_2.13-" + System.getProperty("evalh.sparkVersion") + ".jar";
    assertThat(sparkJars.stream().map(p -> p.getFileName().toString())).contains(core);
  }

  @Test
  void jobJarBundlesNoClassThatSparkShips() throws IOException {
    Set<String> ours = classEntries(jobJar);
    assertThat(ours)
        .contains(
            "evalh/cli/Main.class",
            "evalh/spark/SparkEngine.class",
            "evalh/scoring/spark/SparkSweepEngine.class",
            // run --engine spark's executors score: the engine's tokenizer and runtime
            "ai/djl/huggingface/tokenizers/HuggingFaceTokenizer.class",
            "evalh/engine/runtime/TorchRuntime.class");
    Map<String, List<String>> overlap = new TreeMap<>();
    for (Path jar : sparkJars) {
      for (String e : classEntries(jar)) {
        if (ours.contains(e)) {
          overlap.computeIfAbsent(jar.getFileName().toString(), k -> new ArrayList<>()).add(e);
        }
      }
    }
    StringBuilder why = new StringBuilder();
    overlap.forEach(
        (jar, es) ->
            why.append(jar)
                .append(": ")
                .append(es.size())
                .append(" classes, e.g. ")
                .append(es.get(0))
                .append('\n'));
    assertThat(overlap).as("job jar classes also in Spark's jars:\n%s", why).isEmpty();
  }

  @Test
  void jobJarNeedsJava25AndNothingNewer() throws IOException {
    Map<Integer, Integer> byVersion = new TreeMap<>();
    int evalh = 0;
    try (ZipFile z = new ZipFile(jobJar.toFile())) {
      Enumeration<? extends ZipEntry> es = z.entries();
      while (es.hasMoreElements()) {
        ZipEntry e = es.nextElement();
        if (!e.getName().endsWith(".class")) {
          continue;
        }
        int major = major(z, e);
        byVersion.merge(major, 1, Integer::sum);
        if (e.getName().startsWith("evalh/") && !e.getName().startsWith("evalh/shaded/")) {
          evalh++;
          assertThat(major).as(e.getName()).isEqualTo(JAVA_25);
        }
      }
    }
    assertThat(evalh).isGreaterThan(100);
    assertThat(byVersion.keySet())
        .as("class-file versions %s", byVersion)
        .allMatch(v -> v <= JAVA_25);
  }

  private static int major(ZipFile z, ZipEntry e) throws IOException {
    try (InputStream in = z.getInputStream(e);
        DataInputStream d = new DataInputStream(in)) {
      int magic = d.readInt();
      assertThat(magic).as(e.getName()).isEqualTo(0xCAFEBABE);
      d.readUnsignedShort();
      return d.readUnsignedShort();
    }
  }

  private static Set<String> classEntries(Path jar) throws IOException {
    Set<String> out = new HashSet<>();
    try (ZipFile z = new ZipFile(jar.toFile())) {
      Enumeration<? extends ZipEntry> es = z.entries();
      while (es.hasMoreElements()) {
        String n = es.nextElement().getName();
        if (n.endsWith(".class") && !n.endsWith("module-info.class")) {
          out.add(n);
        }
      }
    }
    return out;
  }
}
