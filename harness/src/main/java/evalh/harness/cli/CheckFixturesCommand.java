package evalh.harness.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import evalh.engine.scoring.ContinuationRequest;
import evalh.engine.scoring.EngineOptions;
import evalh.engine.scoring.LoglikelihoodEngine;
import evalh.engine.scoring.LoglikelihoodResult;
import evalh.engine.scoring.NonFinite;
import evalh.engine.scoring.Progress;
import evalh.engine.scoring.RollingResult;
import evalh.engine.scoring.TokenRequest;
import evalh.engine.scoring.TokenScorer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code evalh check-fixtures}: compares the engine on a device/dtype with the team's float64
 * reference fixtures and prints the largest errors; exits 1 when a tolerance is exceeded, when a
 * fixture file does not match the fixtures' SHA256SUMS, or when a model's expected files give
 * nothing to compare. This is what {@code scripts/gpu-check.sh} runs on CUDA.
 */
@Command(
    name = "check-fixtures",
    mixinStandardHelpOptions = true,
    header = "Compare the engine with the float64 reference fixtures on any device and dtype",
    description = {
      "Compare per-token log-probs, lm-eval loglikelihoods (token splits, is_greedy) and rolling",
      "bits-per-byte on the reference fixtures (a folder with models/ and expected/) with the",
      "engine on the chosen device and dtype. float32 tolerances are the fixtures' own (2e-4 per",
      "token, 1e-3 per summed request and per rolling document, 1e-5 relative bpb, no is_greedy",
      "flips). bfloat16: 6e-2 per token, 0.3 per summed request (loglikelihood requests and",
      "scored sequences), 1e-2 relative bpb per rolling document, is_greedy checked where the",
      "reference margin is > 0.1. float16: 3e-2, 0.15 and 2e-3, is_greedy where the margin",
      "is > 0.05. In half precision a rolling document (thousands of tokens) is judged by its",
      "relative bpb only; its summed error is printed."
    })
public final class CheckFixturesCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--fixtures", required = true, description = "Folder with models/ and expected/.")
  Path fixtures;

  @Mixin ModelOptions model;

  private EngineOptions base;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The fixture checkpoints, one per supported family shape (README of the fixtures, 2 and 8). */
  static final List<String> MODELS =
      List.of("tiny-llama", "tiny-qwen2", "tiny-qwen3", "tiny-olmo2", "tiny-gpt-neox");

  /**
   * Tolerances for one compute dtype. {@code docSums}: whether a rolling document's summed
   * log-likelihood is held to {@code sum} too (float32), or only to the relative bits-per-byte
   * (half precision, where a document of thousands of tokens sums thousands of rounding errors).
   */
  record Tolerances(double token, double sum, double bpbRel, double greedyMargin, boolean docSums) {
    static Tolerances of(String dtype) {
      return switch (dtype) {
        case "float16", "fp16", "half" -> new Tolerances(3e-2, 1.5e-1, 2e-3, 0.05, false);
        case "bfloat16", "bf16" -> new Tolerances(6e-2, 3e-1, 1e-2, 0.1, false);
        default -> new Tolerances(2e-4, 1e-3, 1e-5, 0.0, true);
      };
    }
  }

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    if (model.checkpointOrNull() != null) {
      throw model.usage(
          "check-fixtures reads its checkpoints from --fixtures; --ckpt does not apply");
    }
    base = model.engineOptions(null);
    List<String> bad = verifySums();
    if (!bad.isEmpty()) {
      bad.forEach(b -> out.println("  " + b));
      out.println(
          "check-fixtures: FAIL (the fixtures do not match their SHA256SUMS: "
              + bad.size()
              + " file(s); nothing was compared)");
      out.flush();
      return 1;
    }
    boolean ok = true;
    for (String name : MODELS) {
      ok &= check(name, out);
    }
    out.println(ok ? "check-fixtures: PASS" : "check-fixtures: FAIL");
    out.flush();
    return ok ? 0 : 1;
  }

  /**
   * Checks every file this command reads (each model's folder and its three expected files) against
   * the fixtures' {@code SHA256SUMS}: a file missing from the list or with another hash is named.
   * No SHA256SUMS at all is one problem.
   */
  private List<String> verifySums() throws IOException {
    Path sumsFile = fixtures.resolve("SHA256SUMS");
    if (!Files.isRegularFile(sumsFile)) {
      return List.of(sumsFile + ": missing (the fixtures cannot be verified)");
    }
    java.util.Map<String, String> sums = new java.util.HashMap<>();
    for (String line : Files.readAllLines(sumsFile, StandardCharsets.UTF_8)) {
      String[] p = line.strip().split("\\s+\\*?", 2);
      if (p.length == 2) {
        sums.put(p[1].replaceFirst("^\\./", ""), p[0].toLowerCase(Locale.ROOT));
      }
    }
    List<Path> files = new ArrayList<>();
    for (String model : MODELS) {
      for (String kind : List.of("logprobs", "loglikelihood", "rolling")) {
        files.add(fixtures.resolve("expected").resolve(kind + "-" + model + ".json"));
      }
      Path dir = fixtures.resolve("models").resolve(model);
      if (Files.isDirectory(dir)) {
        try (java.util.stream.Stream<Path> w = Files.walk(dir)) {
          w.filter(Files::isRegularFile).sorted().forEach(files::add);
        }
      }
    }
    List<String> problems = new ArrayList<>();
    for (Path f : files) {
      String rel = fixtures.relativize(f).toString().replace('\\', '/');
      String want = sums.get(rel);
      if (!Files.isRegularFile(f)) {
        problems.add(f + ": missing");
      } else if (want == null) {
        problems.add(f + ": not listed in " + sumsFile);
      } else {
        String got = sha256(f);
        if (!got.equals(want)) {
          problems.add(f + ": sha256 " + got + ", SHA256SUMS says " + want);
        }
      }
    }
    return problems;
  }

  private static String sha256(Path f) throws IOException {
    try (java.io.InputStream in = Files.newInputStream(f)) {
      java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
        md.update(buf, 0, n);
      }
      return java.util.HexFormat.of().formatHex(md.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private JsonNode read(String name) throws IOException {
    return JSON.readTree(fixtures.resolve("expected").resolve(name).toFile());
  }

  private LoglikelihoodEngine open(String name, int maxLength, EngineOptions.RollingPrefix p) {
    return LoglikelihoodEngine.open(
        fixtures.resolve("models").resolve(name).toString(),
        base.withMaxLength(maxLength).withRollingPrefix(p));
  }

  private boolean check(String model, PrintWriter out) throws IOException {
    double tokErr = 0;
    double sumErr = 0;
    double bpbErr = 0;
    double seqErr = 0;
    double docErr = 0;
    int greedyFlips = 0;
    int nonFinite = 0; // a NaN error would otherwise vanish in Math.max
    int tokensCompared = 0;
    int requestsCompared = 0;
    int documentsCompared = 0;
    String where;
    JsonNode lp = read("logprobs-" + model + ".json");
    JsonNode ll = read("loglikelihood-" + model + ".json");
    Tolerances tol;
    try (LoglikelihoodEngine e = open(model, 512, EngineOptions.RollingPrefix.BOS)) {
      tol = Tolerances.of(e.fingerprint().dtype());
      where =
          e.fingerprint().runtime()
              + "/"
              + e.fingerprint().device()
              + "/"
              + e.fingerprint().dtype();
      for (JsonNode seq : lp.path("sequences")) {
        int[] ids = ints(seq.path("input_ids"));
        if (ids.length < 2) {
          continue;
        }
        TokenRequest r =
            new TokenRequest(new int[] {ids[0]}, Arrays.copyOfRange(ids, 1, ids.length), false);
        TokenScorer.TokenScores s = e.scoreTokens(List.of(r), Progress.NONE).get(0);
        nonFinite += nonFinite(s.logprobs());
        JsonNode want = seq.path("next_token_logprobs");
        for (int i = 0; i < want.size(); i++) {
          tokErr = Math.max(tokErr, Math.abs(s.logprobs()[i] - want.get(i).asDouble()));
          tokensCompared++;
        }
        seqErr =
            Math.max(seqErr, Math.abs(s.sum() - seq.path("sum_next_token_logprobs").asDouble()));
      }
      List<ContinuationRequest> reqs = new ArrayList<>();
      for (JsonNode it : ll.path("items")) {
        reqs.add(
            new ContinuationRequest(it.path("context").asText(), it.path("continuation").asText()));
      }
      List<LoglikelihoodResult> got = e.loglikelihood(reqs, Progress.NONE);
      for (int i = 0; i < got.size(); i++) {
        JsonNode it = ll.path("items").get(i);
        LoglikelihoodResult r = got.get(i);
        nonFinite += nonFinite(r.tokenLogprobs()) + nonFinite(new double[] {r.logprob()});
        if (!Arrays.equals(r.continuationIds(), ints(it.path("cont_ids")))
            || !Arrays.equals(r.contextIds(), ints(it.path("ctx_ids")))) {
          out.printf(
              Locale.ROOT,
              "  %s %s: token split differs from the reference%n",
              model,
              it.path("name").asText());
          greedyFlips++;
        }
        sumErr = Math.max(sumErr, Math.abs(r.logprob() - it.path("sum_logprob").asDouble()));
        requestsCompared++;
        JsonNode lps = it.path("cont_logprobs");
        double minMargin = Double.MAX_VALUE;
        for (int j = 0; j < lps.size(); j++) {
          tokErr = Math.max(tokErr, Math.abs(r.tokenLogprobs()[j] - lps.get(j).asDouble()));
          minMargin = Math.min(minMargin, Math.abs(it.path("greedy_margins").get(j).asDouble()));
        }
        if (r.greedy() != it.path("is_greedy").asBoolean() && minMargin > tol.greedyMargin()) {
          greedyFlips++;
        }
      }
    }
    JsonNode rolling = read("rolling-" + model + ".json");
    for (JsonNode block : rolling.path("blocks")) {
      EngineOptions.RollingPrefix p =
          EngineOptions.RollingPrefix.valueOf(
              block.path("prefix").asText().toUpperCase(Locale.ROOT));
      try (LoglikelihoodEngine e = open(model, rolling.path("max_length").asInt(), p)) {
        List<String> docs = new ArrayList<>();
        block.path("documents").forEach(d -> docs.add(d.path("text").asText()));
        List<RollingResult> got = e.loglikelihoodRolling(docs, Progress.NONE);
        for (int i = 0; i < docs.size(); i++) {
          JsonNode d = block.path("documents").get(i);
          nonFinite += nonFinite(new double[] {got.get(i).logprob()});
          double bpb =
              -(got.get(i).logprob() / docs.get(i).getBytes(StandardCharsets.UTF_8).length)
                  / Math.log(2);
          double want = d.path("bits_per_byte").asDouble();
          bpbErr = Math.max(bpbErr, Math.abs(bpb - want) / want);
          docErr =
              Math.max(docErr, Math.abs(got.get(i).logprob() - d.path("loglikelihood").asDouble()));
          documentsCompared++;
        }
      }
    }
    boolean compared = tokensCompared > 0 && requestsCompared > 0 && documentsCompared > 0;
    if (!compared) {
      out.printf(
          Locale.ROOT,
          "  %s: nothing to compare (%d token log-probs, %d loglikelihood requests, %d rolling"
              + " documents in its expected files); a check that compares nothing passes nothing%n",
          model,
          tokensCompared,
          requestsCompared,
          documentsCompared);
    }
    boolean pass =
        compared
            && nonFinite == 0
            && tokErr <= tol.token()
            && Math.max(sumErr, seqErr) <= tol.sum()
            && (!tol.docSums() || docErr <= tol.sum())
            && bpbErr <= tol.bpbRel()
            && greedyFlips == 0;
    out.printf(
        Locale.ROOT,
        "%-13s %-22s max|dlogprob| %.2e (tol %.0e)  max|dsum| %.2e (tol %.0e)  max rel dbpb %.2e"
            + " (tol %.0e; document sums %.2e%s)  is_greedy/token-split mismatches %d"
            + "  non-finite values %d  %s%n",
        model,
        where,
        tokErr,
        tol.token(),
        Math.max(sumErr, seqErr),
        tol.sum(),
        bpbErr,
        tol.bpbRel(),
        docErr,
        tol.docSums() ? String.format(Locale.ROOT, ", tol %.0e", tol.sum()) : ", judged by bpb",
        greedyFlips,
        nonFinite,
        pass ? "ok" : "FAIL");
    return pass;
  }

  /** How many of {@code values} are NaN or infinite. */
  private static int nonFinite(double[] values) {
    int n = 0;
    for (double v : values) {
      n += NonFinite.kind(v) == null ? 0 : 1;
    }
    return n;
  }

  private static int[] ints(JsonNode a) {
    int[] out = new int[a.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = a.get(i).asInt();
    }
    return out;
  }
}
