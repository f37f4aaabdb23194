#!/usr/bin/env bash
# Runs the JMH microbenchmarks of one module: engine (Java-side planning and BF16 widening, the
# default) or decontam (the corpus pass: reader, splitter, normaliser, n-gram hasher, item probe,
# whole scan; scores in corpus bytes per ns next to plain byte loops).
# The benchmarks live in <module>/src/jmh/java and are compiled only by the Maven profile `jmh`
# (pom.xml), into <module>/target/jmh/: the default build and its tests never see them.
# Usage: scripts/jmh.sh [--module engine|decontam] [JMH options, e.g. CorpusPassBenchmark.scan -f 1]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
MODULE=engine
if [ "${1:-}" = "--module" ]; then
  MODULE="$2"
  shift 2
fi
case "$MODULE" in
  engine) DEFAULT=evalh.engine.jmh ;;
  decontam) DEFAULT=evalh.decontam.corpus.CorpusPassBenchmark ;;
  *) echo "jmh.sh: unknown module '$MODULE' (engine or decontam)" >&2; exit 2 ;;
esac
OUT="$MODULE/target/jmh"
mvn -B -q -P jmh -pl "$MODULE" -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/jmh/jmh.cp -Dmdep.includeScope=test
# the forks load classes for minutes: run from a snapshot, so that a build meanwhile cannot break them
SNAP="$(mktemp -d)"
trap 'rm -rf "$SNAP"' EXIT
cp -r "$OUT/classes" "$SNAP/classes"
cp -r "$OUT/test-classes" "$SNAP/test-classes"
CP="$SNAP/test-classes:$SNAP/classes"
# the upstream modules of the reactor, as the profile built them
for d in $(tr ':' '\n' < "$OUT/jmh.cp" | grep '/target/jmh/\(test-\)\?classes$' || true); do
  n="$(echo "$d" | md5sum | cut -c1-8)"
  cp -r "$d" "$SNAP/$n" && CP="$CP:$SNAP/$n"
done
"$JAVA_HOME/bin/java" -cp "$CP:$(tr ':' '\n' < "$OUT/jmh.cp" | grep -v '/target/jmh/' | paste -sd:)" \
  org.openjdk.jmh.Main "${@:-$DEFAULT}"
