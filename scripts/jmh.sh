#!/usr/bin/env bash
# Runs the JMH microbenchmarks of the engine (Java-side planning and BF16 widening).
# Usage: scripts/jmh.sh [JMH options, e.g. PlanningBenchmark.planFiveShotMmlu -f 1]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
mvn -B -q -pl engine -am test-compile dependency:build-classpath -Dmdep.outputFile=target/jmh.cp -Dmdep.includeScope=test
exec "$JAVA_HOME/bin/java" -cp "engine/target/test-classes:engine/target/classes:$(cat engine/target/jmh.cp)" \
  org.openjdk.jmh.Main "${@:-evalh.engine.jmh}"
