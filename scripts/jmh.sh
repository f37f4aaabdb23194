#!/usr/bin/env bash
# Runs the JMH microbenchmarks of one module: harness (Java-side planning and BF16 widening, the
# default) or decontam (the corpus pass: reader, splitter, normaliser, n-gram hasher, item probe,
# whole scan; scores in corpus bytes per ns next to plain byte loops).
# Usage: scripts/jmh.sh [--module harness|decontam] [JMH options, e.g. CorpusPassBenchmark.scan -f 1]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
MODULE=harness
if [ "${1:-}" = "--module" ]; then
  MODULE="$2"
  shift 2
fi
case "$MODULE" in
  harness) DEFAULT=evalh.harness.jmh ;;
  decontam) DEFAULT=evalh.decontam.corpus.CorpusPassBenchmark ;;
  *) echo "jmh.sh: unknown module '$MODULE' (harness or decontam)" >&2; exit 2 ;;
esac
mvn -B -q -pl "$MODULE" -am test-compile dependency:build-classpath -Dmdep.outputFile=target/jmh.cp -Dmdep.includeScope=test
exec "$JAVA_HOME/bin/java" -cp "$MODULE/target/test-classes:$MODULE/target/classes:$(cat "$MODULE/target/jmh.cp")" \
  org.openjdk.jmh.Main "${@:-$DEFAULT}"
