#!/usr/bin/env bash
# By hand, not in CI: the sweep of scripts/spark-cluster-check.sh (three fixture-sized checkpoints x
# mmlu-science,wikitext-2 on the loopback standalone cluster) with --output hdfs://: a MiniDFSCluster in
# its own JVM on 127.0.0.1 (scripts/hdfs/MiniDfs.java), the executor SIGKILLed once a unit has a
# request cache segment on HDFS, then the HDFS output copied down and compared with the local sweep
# (results.json less its timing fields). After mvn -B -DskipTests package. Work dir:
# target/spark-hdfs-check; STALE=10s is spark.evalh.lockStaleAfter.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
W="$ROOT/target/spark-hdfs-check"
R="${MAVEN_REPO:-$HOME/.m2/repository}"
DCP=$R/org/apache/hadoop/hadoop-client-minicluster/3.5.0/hadoop-client-minicluster-3.5.0.jar:$R/org/apache/hadoop/hadoop-client-api/3.5.0/hadoop-client-api-3.5.0.jar:$R/org/apache/hadoop/hadoop-client-runtime/3.5.0/hadoop-client-runtime-3.5.0.jar:$R/org/slf4j/slf4j-api/2.0.17/slf4j-api-2.0.17.jar:$R/commons-logging/commons-logging/1.3.2/commons-logging-1.3.2.jar
FLAGS="$(cat spark/target/spark-jvm-flags.txt)"
dfs() { "$JAVA_HOME/bin/java" $FLAGS -cp "$DCP" "$ROOT/scripts/hdfs/MiniDfs.java" "$@" 2>/dev/null; }
say() { echo "spark-hdfs-check: $*"; }
fail() { echo "spark-hdfs-check: FAILED: $*" >&2; exit 1; }
rm -rf "$W"; mkdir -p "$W/spark-home/jars" "$W/spark-home/conf" "$W/local" "$W/work" "$W/logs"
tr ':' '\n' < spark-dist/target/spark-classpath.txt | while read -r j; do ln -s "$j" "$W/spark-home/jars/"; done
printf 'rootLogger.level = info\nrootLogger.appenderRef.stderr.ref = console\nappender.console.type = Console\nappender.console.name = console\nappender.console.target = SYSTEM_ERR\nappender.console.layout.type = PatternLayout\nappender.console.layout.pattern = %%d{HH:mm:ss} %%p %%c{1}: %%m%%n%%ex\nlogger.nativecodeloader.name = org.apache.hadoop.util.NativeCodeLoader\nlogger.nativecodeloader.level = error\n' >"$W/spark-home/conf/log4j2.properties"
export SPARK_HOME="$W/spark-home" SPARK_CONF_DIR="$W/spark-home/conf" SPARK_SCALA_VERSION=2.13 SPARK_LOCAL_IP=127.0.0.1 SPARK_LOCAL_DIRS="$W/local"
PIDS=()
cleanup() { for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do p="${PIDS[$i]}"; for c in $(ps -o pid= --ppid "$p" 2>/dev/null); do kill "$c" 2>/dev/null || true; done; kill "$p" 2>/dev/null || true; done; sleep 2; for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
T0=$(date +%s)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$JAVA_HOME/bin/java" $FLAGS -Xmx768m -cp "$DCP" "$ROOT/scripts/hdfs/MiniDfs.java" up "$W/dfs" "$PORT" >"$W/logs/dfs.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 600); do grep -q "^up " "$W/logs/dfs.log" && break; sleep 0.2; done
grep -q "^up " "$W/logs/dfs.log" || fail "MiniDFSCluster did not start"
HDFS="hdfs://127.0.0.1:$PORT"
say "HDFS $HDFS ($(($(date +%s) - T0)) s)"
"$JAVA_HOME/bin/java" $FLAGS -Xmx256m -cp "$SPARK_HOME/jars/*" -Dlog4j2.configurationFile="$SPARK_CONF_DIR/log4j2.properties" \
  org.apache.spark.deploy.master.Master --host 127.0.0.1 --port 0 --webui-port 0 >"$W/logs/master.log" 2>&1 &
PIDS+=($!)
MASTER=""
for _ in $(seq 150); do MASTER="$(sed -n 's/.*Starting Spark master at \(spark:\/\/127\.0\.0\.1:[0-9]*\).*/\1/p' "$W/logs/master.log" | head -n1)"; [ -n "$MASTER" ] && break; sleep 0.2; done
"$JAVA_HOME/bin/java" $FLAGS -Xmx256m -cp "$SPARK_HOME/jars/*" -Dlog4j2.configurationFile="$SPARK_CONF_DIR/log4j2.properties" \
  org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --port 0 --webui-port 0 --cores 2 --memory 1536m --work-dir "$W/work" "$MASTER" >"$W/logs/worker.log" 2>&1 &
WORKER_PID=$!
PIDS+=($WORKER_PID)
for _ in $(seq 150); do grep -q "Successfully registered with master" "$W/logs/worker.log" && break; sleep 0.2; done
say "master $MASTER, worker $WORKER_PID"
CK="$W/ckpts/mix"
for m in 1:tiny-llama 2:tiny-qwen2 3:tiny-olmo2; do mkdir -p "$CK/step-${m%%:*}"; cp engine/src/test/resources/fixtures/models/"${m#*:}"/* "$CK/step-${m%%:*}/"; done
SWEEP=(run --task mmlu-science,wikitext-2 --sample-data --ckpt "$CK" --device cpu --batch-tokens 2048 --cache-batch 16 --no-progress)
t=$(date +%s)
./evalh "${SWEEP[@]}" -o "$W/runs/local" >"$W/logs/run-local.log" 2>&1 || fail "local sweep"
say "local sweep: $(($(date +%s) - t)) s"
DRIVER_OPTS="-Xmx1g -Dspark.ui.enabled=false -Dspark.driver.host=127.0.0.1 -Dspark.driver.bindAddress=127.0.0.1 -Dspark.evalh.lockStaleAfter=${STALE:-10s}"
t=$(date +%s)
EVALH_JAVA_OPTS="$DRIVER_OPTS" ./evalh "${SWEEP[@]}" --engine spark --master "$MASTER" -o "$HDFS/evals" >"$W/logs/run-spark.log" 2>&1 &
DRIVER_PID=$!
PIDS+=($DRIVER_PID)
EXEC_PID=""
for _ in $(seq 3000); do
  # a file being written on HDFS: the DataNode keeps its block under rbw/ (a unit's cache segment
  # stays open while the unit scores; locks and results are closed at once)
  if [ -n "$(find "$W/dfs" -path '*/rbw/blk_*' ! -name '*.meta' -size +0 -print -quit 2>/dev/null)" ]; then
    EXEC_PID="$(ps -o pid=,args= --ppid "$WORKER_PID" | awk '/CoarseGrainedExecutorBackend/ {print $1; exit}')"
    [ -n "$EXEC_PID" ] && break
  fi
  kill -0 "$DRIVER_PID" 2>/dev/null || break
  sleep 0.1
done
[ -n "$EXEC_PID" ] || fail "no unit started scoring"
kill -9 "$EXEC_PID"
say "killed executor $EXEC_PID ($(($(date +%s) - t)) s in)"
wait "$DRIVER_PID" || { tail -30 "$W/logs/run-spark.log"; fail "spark sweep"; }
say "spark sweep into HDFS: $(($(date +%s) - t)) s"
grep -E "sweep .*checkpoint\(s\)|Lost task|ExecutorLost|resolved once" "$W/logs/run-spark.log" | head -5
dfs get "$HDFS" /evals "$W/runs/spark"
( cd "$W/runs/local" && find . -type f ! -path '*/cache/*' ! -name '.evalh-run.lock' | sort ) >"$W/local.files"
( cd "$W/runs/spark" && find . -type f ! -path '*/cache/*' ! -name '*.crc' | sort ) >"$W/spark.files"
diff "$W/local.files" "$W/spark.files" || fail "other files"
n=0
while read -r f; do
  case "$f" in
    */results.json)
      jq -S 'del(.evalh.wall_seconds, .evalh.tokens_per_second, .evalh.this_run)' "$W/runs/local/$f" >"$W/a.json"
      jq -S 'del(.evalh.wall_seconds, .evalh.tokens_per_second, .evalh.this_run)' "$W/runs/spark/$f" >"$W/b.json"
      cmp -s "$W/a.json" "$W/b.json" || fail "$f differs" ;;
    *) cmp -s "$W/runs/local/$f" "$W/runs/spark/$f" || fail "$f differs" ;;
  esac
  n=$((n + 1))
done <"$W/local.files"
for f in "$W"/runs/spark/mix/*/results.json; do echo "  $(basename "$(dirname "$f")"): cache_hits $(jq '.evalh.this_run.cache_hits' "$f")"; done
left="$(find "$W/runs/spark" -name '*.tmp' -o -name '*.lock')"
[ -z "$left" ] || fail "left in the output: $left"
say "$n files identical to the local sweep's; passed in $(($(date +%s) - T0)) s"
