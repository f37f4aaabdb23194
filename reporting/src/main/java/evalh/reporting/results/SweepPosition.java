package evalh.reporting.results;

import java.util.OptionalLong;

/**
 * Where a run sits in a checkpoint sweep.
 *
 * @param run the sweep's run (the folder that held the step folders)
 * @param step the training step (results.json's {@code step})
 * @param tokens tokens seen in training (results.json's {@code tokens}), when known
 */
public record SweepPosition(String run, long step, OptionalLong tokens) {}
