package evalh.engine.runtime;

import java.nio.file.Path;
import java.util.List;

/**
 * A libtorch to load: the shared library holding the stable ABI, where it came from, and notes
 * about candidates that were skipped on the way (one line each, for the console).
 *
 * @param library the file to load ({@code libtorch.so} of a torch package or libtorch build, or the
 *     bundled build's renamed {@code libtorch_cpu.so})
 * @param source how it was chosen, e.g. {@code --torch /opt/libtorch/lib}, {@code python3 torch
 *     2.11.0}, {@code bundled CPU build org.bytedeco:pytorch:2.10.0-1.5.13}
 * @param notes skipped candidates, e.g. an older torch of python3
 */
public record LibTorchLocation(Path library, String source, List<String> notes) {
  public LibTorchLocation {
    notes = List.copyOf(notes);
  }
}
