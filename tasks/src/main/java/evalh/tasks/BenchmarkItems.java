package evalh.tasks;

import evalh.tasks.data.DataRoot;
import evalh.tasks.data.Loaded;
import evalh.tasks.data.MmluData;
import evalh.tasks.data.MmluDoc;
import evalh.tasks.registry.DatasetKind;
import evalh.tasks.registry.OutputType;
import evalh.tasks.registry.RegistryException;
import evalh.tasks.registry.TaskRegistry;
import evalh.tasks.registry.TaskSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Loads the evaluated items of multiple-choice tasks, for decontamination. */
public final class BenchmarkItems {
  private BenchmarkItems() {}

  /**
   * Expands a task/group spec ("mmlu-science", "mmlu-anatomy,mmlu-virology") via the YAML registry
   * and loads the test-split items of every multiple-choice leaf task. {@code dataDir} null means
   * {@code $EVALH_DATA}, or the bundled sample data when that is not set. Items that the run skips
   * (see {@link MmluData}) are left out here too, so doc ids always match {@code samples_*.jsonl}.
   */
  public static List<BenchmarkItem> load(String taskSpec, Path dataDir) {
    return load(TaskRegistry.bundled(), taskSpec, resolveRoot(dataDir));
  }

  public static List<BenchmarkItem> load(TaskRegistry registry, String taskSpec, DataRoot root) {
    List<BenchmarkItem> out = new ArrayList<>();
    for (TaskSpec t : registry.resolve(taskSpec).tasks()) {
      if (t.outputType() != OutputType.MULTIPLE_CHOICE) {
        continue;
      }
      if (t.datasetKind() != DatasetKind.MMLU) {
        throw new RegistryException(
            "task "
                + t.name()
                + ": dataset kind '"
                + t.datasetKind().yamlName()
                + "' has no item reader");
      }
      Loaded<MmluDoc> loaded = MmluData.load(root, t.dataset().get("subject"), t.testSplit());
      for (MmluDoc d : loaded.docs()) {
        out.add(new BenchmarkItem(t.name(), d.docId(), d.question(), d.choices(), d.answer()));
      }
    }
    return out;
  }

  /** {@code dataDir}, else {@code $EVALH_DATA}, else the bundled sample data. */
  public static DataRoot resolveRoot(Path dataDir) {
    if (dataDir != null) {
      return DataRoot.of(dataDir);
    }
    DataRoot env = DataRoot.fromEnvironment();
    return env != null ? env : DataRoot.bundledSample();
  }
}
