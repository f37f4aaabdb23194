package evalh.harness.run;

import evalh.engine.scoring.Progress;
import java.io.Console;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicLong;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A terminal progress bar (me.tongfei:progressbar) with requests/s, tokens/s and ETA. Silent when
 * standard output is not a terminal (CI logs, pipes).
 */
final class ScoringProgress implements Progress, AutoCloseable {
  private final ProgressBar bar;
  private final AtomicLong tokens;
  private final long start;
  private final boolean owner;

  private ScoringProgress(ProgressBar bar) {
    this(bar, new AtomicLong(), System.nanoTime(), true);
  }

  private ScoringProgress(ProgressBar bar, AtomicLong tokens, long start, boolean owner) {
    this.bar = bar;
    this.tokens = tokens;
    this.start = start;
    this.owner = owner;
  }

  /** The same bar, for a scorer whose close must leave it open (a sweep's bar over checkpoints). */
  ScoringProgress borrowed() {
    return new ScoringProgress(bar, tokens, start, false);
  }

  static ScoringProgress start(String task, long total, boolean enabled) {
    if (!enabled || !interactive() || total == 0) {
      return new ScoringProgress(null);
    }
    ProgressBar bar =
        new ProgressBarBuilder()
            .setTaskName(task)
            .setInitialMax(total)
            .setUnit(" req", 1)
            .showSpeed()
            .setSpeedUnit(ChronoUnit.SECONDS)
            .setStyle(ProgressBarStyle.ASCII)
            .setUpdateIntervalMillis(250)
            .setMaxRenderedLength(120)
            .continuousUpdate()
            .build();
    return new ScoringProgress(bar);
  }

  // JDK 22+ returns a Console even when redirected; isTerminal() says whether it is a terminal.
  @SuppressWarnings("SystemConsoleNull")
  static boolean interactive() {
    Console c = System.console();
    return c != null && c.isTerminal();
  }

  @Override
  public void advance(int requests, long newTokens) {
    long t = tokens.addAndGet(newTokens);
    if (bar == null) {
      return;
    }
    double secs = Math.max(1e-9, (System.nanoTime() - start) / 1e9);
    bar.stepBy(requests);
    bar.setExtraMessage(String.format(java.util.Locale.ROOT, " %.0f tok/s", t / secs));
  }

  /** Moves the bar without a token count (for callers that count units themselves). */
  void step(long units) {
    if (bar != null) {
      bar.stepBy(units);
    }
  }

  @Override
  public void close() {
    if (bar != null && owner) {
      bar.close();
    }
  }
}
