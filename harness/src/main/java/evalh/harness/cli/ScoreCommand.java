package evalh.harness.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import evalh.engine.scoring.LoglikelihoodEngine;
import evalh.engine.scoring.NonFinite;
import evalh.engine.scoring.Progress;
import evalh.engine.scoring.TokenRequest;
import evalh.engine.scoring.TokenScorer;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code evalh score}: per-token log-probabilities of a text, for sanity checks. */
@Command(
    name = "score",
    mixinStandardHelpOptions = true,
    description = {
      "Print the log-probability of every token of a text under a checkpoint.",
      "ids are the text encoded with the tokenizer's default special tokens (BOS if it adds one);",
      "logprob[i] = log p(ids[i] | ids[0..i-1]), and logprob[0] is empty (null in --json)."
    })
public final class ScoreCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Mixin ModelOptions model;

  @Mixin ScoringOptions scoring;

  @Option(names = "--text", required = true, description = "The text to score.")
  String text;

  @Option(
      names = "--json",
      description =
          "Print exactly one JSON object {\"ids\":[...],\"tokens\":[...],\"logprobs\":[...]}.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    try (LoglikelihoodEngine engine =
        LoglikelihoodEngine.open(
            model.checkpoint("Missing required option: '--ckpt=DIR'"),
            model.engineOptions(scoring))) {
      int[] ids = engine.tokenizer().encodeWithSpecialTokens(text);
      String[] tokens = engine.tokenizer().vocabTokens(text, true);
      if (ids.length > engine.maxLength() + 1) {
        throw new IllegalArgumentException(
            "the text is " + ids.length + " tokens, longer than max length " + engine.maxLength());
      }
      double[] lp = new double[0];
      if (ids.length > 1) {
        TokenRequest r =
            new TokenRequest(new int[] {ids[0]}, Arrays.copyOfRange(ids, 1, ids.length), false);
        List<TokenScorer.TokenScores> s = engine.scoreTokens(List.of(r), Progress.NONE);
        lp = s.get(0).logprobs();
      }
      if (json) {
        ObjectMapper m = new ObjectMapper();
        ObjectNode o = m.createObjectNode();
        ArrayNode a = o.putArray("ids");
        Arrays.stream(ids).forEach(a::add);
        ArrayNode t = o.putArray("tokens");
        Arrays.stream(tokens).forEach(t::add);
        ArrayNode l = o.putArray("logprobs");
        if (ids.length > 0) {
          l.addNull();
        }
        Arrays.stream(lp).forEach(l::add);
        out.println(m.writeValueAsString(o));
      } else {
        out.printf(Locale.ROOT, "%5s  %7s  %-24s  %12s%n", "pos", "id", "token", "logprob");
        double sum = 0;
        for (int i = 0; i < ids.length; i++) {
          String v = i == 0 ? "" : String.format(Locale.ROOT, "%12.6f", lp[i - 1]);
          out.printf(Locale.ROOT, "%5d  %7d  %-24s  %12s%n", i, ids[i], printable(tokens[i]), v);
          sum += i == 0 ? 0 : lp[i - 1];
        }
        out.printf(
            Locale.ROOT,
            "sum of %d log-probs: %.6f (device %s, dtype %s, add_bos %s)%n",
            Math.max(0, ids.length - 1),
            sum,
            engine.fingerprint().device(),
            engine.fingerprint().dtype(),
            engine.addBos());
      }
      out.flush();
      int bad = NonFinite.first(lp);
      if (bad >= 0) {
        // the values are printed above (as in any run), but a non-finite one is an error
        PrintWriter err = spec.commandLine().getErr();
        err.printf(
            Locale.ROOT,
            "evalh: error: the log-prob of token %d (id %d) is %s: the checkpoint produces"
                + " non-finite scores (NaN or infinite weights, or a float16 overflow)%n",
            bad + 1,
            ids[bad + 1],
            NonFinite.kind(lp[bad]));
        err.flush();
        return 1;
      }
    }
    return 0;
  }

  /** Control characters as escapes so the table stays aligned. */
  static String printable(String s) {
    StringBuilder b = new StringBuilder();
    s.codePoints()
        .forEach(
            cp -> {
              if (cp < 0x20 || cp == 0x7f) {
                b.append(String.format(Locale.ROOT, "\\x%02x", cp));
              } else {
                b.appendCodePoint(cp);
              }
            });
    return b.toString();
  }
}
