/**
 * {@code evalh run --engine spark}: a checkpoint sweep spread over a Spark cluster.
 *
 * <h2>Workflow</h2>
 *
 * <ol>
 *   <li>{@code evalh run} (harness) finds {@link evalh.scoring.spark.SparkSweepEngine} behind its
 *       {@code SweepEngine} seam with {@link java.util.ServiceLoader}; on the driver it resolves
 *       the tasks, reads their data (a bad task fails before the cluster starts), locks the output
 *       directory and cuts the sweep into {@code SweepUnits}: one unit per checkpoint.
 *   <li>{@code SweepJob} starts or joins the Spark application ({@code evalh.spark.SparkSessions},
 *       shared with decontamination) and runs one task per unit. The task calls {@code
 *       SweepUnits.score}: exactly what the local sweep does for that checkpoint (skip by
 *       fingerprint, else load the checkpoint once, score every task, write results.json and the
 *       samples atomically into {@code <output>/<run>/<step>/} under that folder's lock).
 *   <li>The driver prints each unit's console output in step order and the sweep's summary.
 * </ol>
 *
 * <h2>Traps</h2>
 *
 * <ul>
 *   <li><b>The unit is a whole checkpoint.</b> The engine batches the requests of all tasks of a
 *       checkpoint together, longest first under a token budget, and a float sum can depend on what
 *       else is in its batch: a unit of one task would be batched differently from the local sweep.
 *       A unit of one checkpoint with all the tasks is batched as the local sweep batches it, given
 *       the same token budget: {@code --batch-tokens auto} is resolved once on the driver ({@code
 *       BatchBudget}) and every unit gets that number, as a local sweep with {@code --batch-tokens
 *       N} would (on GPU executors, whose memory the driver cannot see, a warning says the budget
 *       stays per task).
 *   <li><b>Settings come from the driver.</b> results.json records the sweep's settings hash; it is
 *       computed once on the driver and shipped, so a worker's own view (another jar path, another
 *       assigned GPU) never changes it.
 *   <li><b>Paths are absolute and shared.</b> The driver resolves relative paths against its own
 *       working directory; checkpoints, data and the output must be at those paths on every
 *       executor. The output may also be {@code hdfs://namenode:port/path}: then every write, lock
 *       and the request cache go through {@link evalh.scoring.spark.HadoopOutputStore} (harness's
 *       {@code OutputStore} seam), which rebuilds the local store's guarantees from HDFS's atomic
 *       {@code create(overwrite=false)} and {@code rename}; other schemes are refused (S3's rename
 *       is a copy).
 *   <li><b>No OS drops a lock on HDFS.</b> A killed executor's lock file stays; the holder renews
 *       its time every quarter of {@code spark.evalh.lockStaleAfter} (60 s), and a retry waits
 *       until the lock is released or has stayed unchanged that long (a dead attempt), then takes
 *       it over (with the dead attempt's request cache lock, at once). A retry therefore starts
 *       scoring up to a minute after the kill on HDFS; a zombie attempt that lost its lock fails
 *       its next write instead of replacing the winner's files.
 *   <li><b>Retries.</b> A task whose executor died is run again by Spark; the killed attempt's
 *       folder lock died with its process, and the retry resumes from the request cache (a torn
 *       last line is dropped) and rewrites results.json and the samples atomically. A checkpoint
 *       that fails to load is an outcome, not an exception, so that Spark does not retry it.
 *   <li><b>Kryo.</b> Outcomes travel in {@code evalh.spark.JavaSerialized} (Kryo cannot rebuild
 *       records); the job itself is captured by the task closure, which Spark always
 *       Java-serializes.
 *   <li><b>GPUs.</b> A task asks for one GPU ({@code spark.task.resource.gpu.amount=1} unless the
 *       user set it, when the executors have GPUs); it reads its GPU from {@code
 *       TaskContext.resources()} and runs on {@code cuda:<address>}; results.json's {@code device}
 *       then names that GPU.
 * </ul>
 */
package evalh.scoring.spark;
