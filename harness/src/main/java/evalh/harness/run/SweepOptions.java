package evalh.harness.run;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code evalh run}'s sweep options (a picocli mixin). */
public final class SweepOptions {
  @Option(
      names = "--ckpt-list",
      paramLabel = "FILE",
      description =
          "Sweep the checkpoints listed in FILE (one step folder a line, relative to FILE's"
              + " folder; # comments). --ckpt also sweeps: a quoted glob such as"
              + " 'ckpts/anneal-*/step-*', or a run directory of step folders (step-N, stepN,"
              + " checkpoint-N, global_step_N). Each checkpoint is scored in step order into"
              + " <output>/<run>/<step>/; finished ones are skipped, a failed one is reported and"
              + " the sweep goes on (exit code 1).")
  Path ckptList;

  @Option(
      names = "--tokens-per-step",
      paramLabel = "N",
      description =
          "Tokens seen per training step, for results.json's \"tokens\" of a sweep's checkpoints"
              + " without trainer_state.json's num_input_tokens_seen. Default: that, else the"
              + " folder name's -tokensN[K|M|B|T] suffix, else unknown.")
  Long tokensPerStep;
}
