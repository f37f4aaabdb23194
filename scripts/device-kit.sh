#!/usr/bin/env bash
# Builds the device kit: one folder, at most 60 MiB, to carry to an air-gapped GPU node (no JDK, no
# network) whose python3 has PyTorch (>= 2.10, CUDA) and transformers. It holds
#   evalh            launcher: the kit's JRE, the kit's jar, --enable-native-access=ALL-UNNAMED
#   jre/             a jlinked JRE: the modules jdeps finds in the jar, no debug symbols, headers
#                    or man pages, compressed
#   lib/evalh.jar    cli/target/evalh-kit.jar: evalh without libtorch (the node's PyTorch
#                    provides it), DJL tokenizers' linux-x86_64 CPU library only, no
#                    decontam/spark/reporting (see cli/pom.xml, kit-jar)
#   fixtures/        the reference fixtures (models/, expected/) from harness test resources
#   gpu-check.sh     the GPU checks (and `--cpu`, the part that runs anywhere)
#   bench/           hf_reference.py, hf_baseline.py (HF transformers on the node's python3)
#   README.txt       how to use it
# Usage: scripts/device-kit.sh [--no-build] OUT_DIR
#   --no-build  use the cli/target/evalh-kit.jar already built (CI: after `mvn verify`)
# OUT_DIR must not exist, be empty, or be an earlier kit (it is then replaced). Exit 1 when the
# kit exceeds the limit, 2 on usage errors.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LIMIT_BYTES=$((60 * 1024 * 1024))

build=1
if [ "${1:-}" = "--no-build" ]; then build=0; shift; fi
if [ $# -ne 1 ] || [ -z "$1" ] || [ "${1#-}" != "$1" ]; then
  echo "usage: scripts/device-kit.sh [--no-build] OUT_DIR" >&2
  exit 2
fi
OUT="$(readlink -m "$1")"
if [ -e "$OUT" ] && { [ ! -d "$OUT" ] || { [ -n "$(ls -A "$OUT")" ] && [ ! -f "$OUT/.evalh-kit" ]; }; }; then
  echo "device-kit: $OUT exists and is not an empty folder or an earlier kit; choose another OUT_DIR" >&2
  exit 2
fi

for c in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64; do
  if [ -n "$c" ] && [ -x "$c/bin/jlink" ] && [ -x "$c/bin/jdeps" ]; then JDK="$c"; break; fi
done
if [ -z "${JDK:-}" ]; then
  echo "device-kit: needs a JDK with jlink and jdeps (Temurin 25 at /usr/lib/jvm/temurin-25-jdk-amd64, or JAVA_HOME)" >&2
  exit 1
fi

JAR="$ROOT/cli/target/evalh-kit.jar"
if [ "$build" = 1 ]; then
  (cd "$ROOT" && JAVA_HOME="$JDK" mvn -B -q -ntp -pl cli -am package -DskipTests)
fi
if [ ! -f "$JAR" ]; then
  echo "device-kit: $JAR is missing (run without --no-build, or mvn -pl cli -am package)" >&2
  exit 1
fi

# The jar must hold no libtorch (org.bytedeco's build and the OpenBLAS it links).
# (bundled-libtorch.properties, the bundled build's version stamp, stays: it names the copy a machine
# may already have extracted under ~/.cache/evalh, which the kit's evalh then uses on CPU.)
if "$JDK/bin/jar" tf "$JAR" | grep -E '(libtorch|libc10|libopenblas)[^/]*\.so|^org/bytedeco/'; then
  echo "device-kit: $JAR holds libtorch natives (above); the kit must not (cli/pom.xml, kit-jar)" >&2
  exit 1
fi

mkdir -p "$(dirname "$OUT")"
STAGE="$(mktemp -d "$(dirname "$OUT")/.evalh-kit.XXXXXX")"
trap 'rm -rf "$STAGE"' EXIT

# The JRE: the modules jdeps finds in the jar, less two that only code evalh never runs refers to
# (checked: the kit's commands run on this JRE in CI, .ci/run):
#   java.desktop   java.awt/javax.imageio/javax.sound in DJL's image and audio modalities, JNA's
#                  AWT helper; java.beans in Jackson's optional java.beans support, snakeyaml's
#                  bean introspector, commons-compress pack200 and commons-lang3's concurrent utils
#   java.compiler  javax.tools in DJL's runtime class compiler; Error Prone's annotations
# That saves 14 MiB. Native libraries are stripped of their symbol tables (libjvm.so 30 -> 25 MB).
MODULES="$("$JDK/bin/jdeps" --print-module-deps --ignore-missing-deps --multi-release 25 "$JAR" | tail -n1)"
# jdeps cannot see service providers: jdk.zipfs serves the "jar" file system that reads the task
# registry from inside the jar (`run`).
MODULES="$(echo "$MODULES,jdk.zipfs" | tr ',' '\n' | grep -v -x -e java.desktop -e java.compiler | paste -sd, -)"
"$JDK/bin/jlink" --add-modules "$MODULES" --strip-debug --no-header-files --no-man-pages \
  --compress=zip-9 --output "$STAGE/jre" 2> >(grep -v 'Using incubator modules' >&2)
if command -v strip >/dev/null 2>&1; then
  find "$STAGE/jre" -name '*.so' -exec strip --strip-unneeded {} +
else
  echo "device-kit: no strip (binutils): native libraries keep their symbol tables" >&2
fi

mkdir -p "$STAGE/lib" "$STAGE/fixtures" "$STAGE/bench"
cp "$JAR" "$STAGE/lib/evalh.jar"
cp -r "$ROOT/engine/src/test/resources/fixtures/models" "$ROOT/engine/src/test/resources/fixtures/expected" \
  "$ROOT/engine/src/test/resources/fixtures/README.md" \
  "$ROOT/engine/src/test/resources/fixtures/SHA256SUMS" "$STAGE/fixtures/"
cp "$ROOT/scripts/gpu-check.sh" "$STAGE/gpu-check.sh"
cp "$ROOT/bench/hf_reference.py" "$ROOT/bench/hf_baseline.py" "$STAGE/bench/"
cat > "$STAGE/evalh" <<'EOF'
#!/bin/sh
# evalh from the device kit: the kit's JRE and jar. DJL is kept offline (the kit never downloads);
# the kit holds no libtorch (README.txt). EVALH_JAVA_OPTS adds JVM flags.
KIT="$(cd "$(dirname "$0")" && pwd)"
exec "$KIT/jre/bin/java" --enable-native-access=ALL-UNNAMED -Xss4m -Dai.djl.offline=true \
  ${EVALH_JAVA_OPTS:-} -jar "$KIT/lib/evalh.jar" "$@"
EOF
cat > "$STAGE/README.txt" <<'TXT'
evalh device kit (scripts/device-kit.sh of the evalh repository; its README, section "GPU").
  ./gpu-check.sh           every GPU check, one line each, and a summary (--help: what and tolerances)
  ./gpu-check.sh --cpu     the checks that need no GPU
  ./evalh --help           evalh itself: score, bench, check-fixtures, run
Needs python3 with PyTorch (CUDA) and transformers for the HF comparisons. The kit holds no
libtorch: evalh takes the node's (--torch DIR, EVALH_TORCH or python3's torch). Nothing here
uses the network.
TXT
chmod +x "$STAGE/evalh" "$STAGE/gpu-check.sh"
{
  echo "evalh device kit, built $(date -u +%Y-%m-%dT%H:%MZ) from $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "JRE modules: $MODULES"
} > "$STAGE/.evalh-kit"

size=$(du -sb "$STAGE" | cut -f1)
if [ "$size" -gt "$LIMIT_BYTES" ]; then
  echo "device-kit: the kit is $((size / 1024 / 1024)) MiB ($size bytes), over the 60 MiB limit:" >&2
  du -sh "$STAGE"/* >&2
  exit 1
fi
rm -rf "$OUT"
mv "$STAGE" "$OUT"
trap - EXIT
printf 'device-kit: %s, %.1f MiB (limit 60 MiB): jre %s, jar %s, fixtures %s\n' "$OUT" \
  "$(echo "$size / 1048576" | bc -l)" "$(du -sh "$OUT/jre" | cut -f1)" \
  "$(du -sh "$OUT/lib" | cut -f1)" "$(du -sh "$OUT/fixtures" | cut -f1)"
echo "device-kit: JRE modules $MODULES"
