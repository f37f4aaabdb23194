package evalh.engine.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * How the environment's DJL variables combine with evalh's choice of the bundled CPU library (an
 * environment variable wins over the system property evalh sets, so a conflicting one is refused).
 */
class BundledTokenizersLibraryTest {

  @Test
  void aFlavorOtherThanCpuInTheEnvironmentIsRefusedWithTheFix() {
    for (String flavor : new String[] {"cu124", ""}) {
      assertThatThrownBy(() -> BundledTokenizersLibrary.select(Map.of("RUST_FLAVOR", flavor)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("RUST_FLAVOR='" + flavor + "'")
          .hasMessageContaining("unset RUST_FLAVOR")
          .hasMessageContaining("RUST_LIBRARY_PATH");
    }
  }

  @Test
  void cpuFromTheEnvironmentOrNothingSelectsTheBundledCpuLibrary() {
    BundledTokenizersLibrary.select(Map.of("RUST_FLAVOR", "cpu"));
    assertThat(System.getProperty("RUST_FLAVOR")).isEqualTo("cpu");
    BundledTokenizersLibrary.select(Map.of());
    assertThat(System.getProperty("RUST_FLAVOR")).isEqualTo("cpu");
  }

  @Test
  void aLocalLibraryPathInTheEnvironmentIsLeftToDjl() {
    // DJL loads RUST_LIBRARY_PATH from disk and never consults the flavor: nothing to refuse.
    assertThatCode(
            () ->
                BundledTokenizersLibrary.select(
                    Map.of(
                        "RUST_LIBRARY_PATH",
                        "/opt/tokenizers/libtokenizers.so",
                        "RUST_FLAVOR",
                        "cu124")))
        .doesNotThrowAnyException();
  }
}
