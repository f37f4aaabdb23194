#!/usr/bin/env bash
# A real Spark standalone cluster on this machine, and evalh's spark engine on it through ./evalh
# (issue 16). Runs in CI (.ci/run) and by hand after a build (mvn -B -DskipTests package).
#
# - A master and a worker, each its own JVM, from the Spark 4.2.0 jars Maven resolved
#   (spark-dist/target/spark-classpath.txt, linked into a SPARK_HOME/jars under the work dir), bound
#   to 127.0.0.1 only, every port picked free by the OS (port 0; the master's URL is read from its
#   log); the worker starts the executor JVMs (CoarseGrainedExecutorBackend) as Spark does.
# - ./evalh decontam --engine spark --master spark://... in scan and index mode: each run's per-item
#   results (decontam.json "tasks") must be byte-identical to the local engine's on the same corpus
#   and items; a scan with spark.serializer=KryoSerializer; then an index run (also Kryo) during
#   which one executor JVM is killed (SIGKILL, by its PID): the retried result must still be
#   identical.
# - ./evalh decontam --paraphrase --engine spark (scan mode, KryoSerializer): the paraphrase results
#   of every item and task byte-identical to the local window index's.
# - A local --shards-out with the cluster master must be refused (exit 1, nothing written).
# - Every listening socket of the master, worker, executor and driver JVMs (checked while a job
#   runs) must be on 127.0.0.1.
# - No shard scratch folder may be left in the executors' local dirs once the application ended.
# - ./evalh run --engine spark --master spark://...: a sweep of three fixture-sized checkpoints
#   (engine's tiny-llama, tiny-qwen2, tiny-olmo2 as step-1, step-2, step-3) x mmlu-science and
#   wikitext-2 on the bundled sample data, during which the executor JVM is killed (SIGKILL) once
#   the units have started scoring: every file of every step folder must be the local sweep's
#   bytes (results.json less its timing fields: evalh.wall_seconds, evalh.tokens_per_second,
#   evalh.this_run), and a retried unit must have resumed from its request cache.
#   SPARK_CHECK_ONLY=run runs only this part (and the cluster).
# - Optional: SPARK_CHECK_BENCH_GB=0.5 also runs bench-decontam at local[2] and at the cluster on
#   a generated corpus of that size (throughput per executor core, same per-item results).
# Everything it starts it stops, by PID, also on failure. Work dir: target/spark-cluster-check.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
W="$ROOT/target/spark-cluster-check"
T0=$(date +%s)

say() { echo "spark-cluster-check: $*"; }
fail() { echo "spark-cluster-check: FAILED: $*" >&2; exit 1; }

for f in cli/target/evalh-spark-job.jar spark-dist/target/spark-classpath.txt spark/target/spark-jvm-flags.txt; do
  [ -f "$f" ] || fail "$f is missing: build first (mvn -B -DskipTests package)"
done
command -v jq >/dev/null || fail "jq is needed (apt-get install jq)"
command -v ss >/dev/null || fail "ss is needed (apt-get install iproute2)"

rm -rf "$W"
mkdir -p "$W/spark-home/jars" "$W/spark-home/conf" "$W/local" "$W/work" "$W/logs"

# A Spark distribution's layout from the Maven-resolved jars: the worker builds each executor's
# class path from SPARK_HOME/jars, as on a real cluster.
tr ':' '\n' < spark-dist/target/spark-classpath.txt | while read -r j; do ln -s "$j" "$W/spark-home/jars/"; done
cat > "$W/spark-home/conf/log4j2.properties" <<'EOF'
rootLogger.level = info
rootLogger.appenderRef.stderr.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n%ex
logger.nativecodeloader.name = org.apache.hadoop.util.NativeCodeLoader
logger.nativecodeloader.level = error
EOF
export SPARK_HOME="$W/spark-home"
export SPARK_CONF_DIR="$SPARK_HOME/conf"
export SPARK_SCALA_VERSION=2.13
export SPARK_LOCAL_IP=127.0.0.1
export SPARK_LOCAL_DIRS="$W/local"
FLAGS="$(cat spark/target/spark-jvm-flags.txt)"

PIDS=()
cleanup() {
  local rc=$?
  # the worker first (it stops its executors), then anything left, then the master; by PID only
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
    local p="${PIDS[$i]}"
    if kill -0 "$p" 2>/dev/null; then
      for c in $(ps -o pid= --ppid "$p" 2>/dev/null); do kill "$c" 2>/dev/null || true; done
      kill "$p" 2>/dev/null || true
    fi
  done
  for p in "${PIDS[@]}"; do
    for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$p" 2>/dev/null || true
  done
  if [ "$rc" != 0 ]; then
    echo "spark-cluster-check: logs under $W/logs:" >&2
    tail -n 30 "$W"/logs/*.log >&2 || true
  fi
}
trap cleanup EXIT

# shellcheck disable=SC2086 # FLAGS is one line of JVM options
"$JAVA_HOME/bin/java" $FLAGS -Xmx256m -cp "$SPARK_HOME/jars/*" \
  -Dlog4j2.configurationFile="$SPARK_CONF_DIR/log4j2.properties" \
  org.apache.spark.deploy.master.Master --host 127.0.0.1 --port 0 --webui-port 0 \
  >"$W/logs/master.log" 2>&1 &
MASTER_PID=$!
PIDS+=("$MASTER_PID")
MASTER=""
for _ in $(seq 150); do
  MASTER="$(sed -n 's/.*Starting Spark master at \(spark:\/\/127\.0\.0\.1:[0-9]*\).*/\1/p' "$W/logs/master.log" | head -n1)"
  [ -n "$MASTER" ] && break
  kill -0 "$MASTER_PID" 2>/dev/null || fail "the master exited"
  sleep 0.2
done
[ -n "$MASTER" ] || fail "the master did not start"
say "master $MASTER (pid $MASTER_PID)"

# shellcheck disable=SC2086
"$JAVA_HOME/bin/java" $FLAGS -Xmx256m -cp "$SPARK_HOME/jars/*" \
  -Dlog4j2.configurationFile="$SPARK_CONF_DIR/log4j2.properties" \
  org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --port 0 --webui-port 0 \
  --cores 2 --memory 1536m --work-dir "$W/work" "$MASTER" \
  >"$W/logs/worker.log" 2>&1 &
WORKER_PID=$!
PIDS+=("$WORKER_PID")
for _ in $(seq 150); do
  grep -q "Successfully registered with master" "$W/logs/worker.log" && break
  kill -0 "$WORKER_PID" 2>/dev/null || fail "the worker exited"
  sleep 0.2
done
grep -q "Successfully registered with master" "$W/logs/worker.log" || fail "the worker did not register"
say "worker registered (pid $WORKER_PID): 2 cores, 1536 MB"

# The driver: ./evalh (the job jar on the Spark class path, spark.jars set by the engine). Spark's
# defaults otherwise: one executor with all the worker's cores and a 1 GB heap.
DRIVER_OPTS="-Xmx1g -Dspark.ui.enabled=false -Dspark.driver.host=127.0.0.1 -Dspark.driver.bindAddress=127.0.0.1"

if [ "${SPARK_CHECK_ONLY:-}" != run ]; then
# A corpus of several files (several partitions) and items, some taken from it (dirty).
say "generating the corpus"
EVALH_JAVA_OPTS="-Xmx1g" ./evalh bench-decontam --work "$W/gen" --size-gb 0.04 --items 50 \
  --strides 1 --compare-mb 0 >"$W/logs/gen.log" 2>&1 || fail "corpus generation (logs/gen.log)"
mkdir -p "$W/corpus"
split -n l/6 -d --additional-suffix=.jsonl "$W/gen/corpus/shard-000.jsonl" "$W/corpus/part-"
ITEMS="$W/items.jsonl"
n=0
: >"$ITEMS"
while IFS= read -r text; do
  jq -nc --arg q "${text:0:400}" --argjson d "$n" \
    '{task:"cluster-check",doc_id:$d,question:$q,choices:["alpha","beta","gamma","delta"],gold:($d%4)}' >>"$ITEMS"
  n=$((n + 1))
  jq -nc --arg q "an item nobody wrote down, number $n, about the colour of rain" --argjson d "$n" \
    '{task:"cluster-check",doc_id:$d,question:$q,choices:["alpha","beta","gamma","delta"],gold:($d%4)}' >>"$ITEMS"
  n=$((n + 1))
done < <(awk 'NR % 1500 == 7' "$W"/corpus/part-*.jsonl | jq -r .text | head -n 30)
say "corpus ($(($(date +%s) - T0)) s in): $(ls "$W/corpus" | wc -l) files, $(du -sh "$W/corpus" | cut -f1); $(wc -l <"$ITEMS") items"

tasks_of() { jq -S -c '.tasks' "$1/decontam.json"; }

# The reference: the local engine (a Lucene index on this machine).
./evalh decontam --items "$ITEMS" --corpus "$W/corpus" --index-root "$W/indexes" \
  --out "$W/out/local" >"$W/logs/local.log" 2>&1 || fail "local engine (logs/local.log)"
tasks_of "$W/out/local" >"$W/local.tasks"
dirty=$(jq '.summary.n_dirty' "$W/out/local/decontam.json")
[ "$dirty" -gt 0 ] || fail "the local engine found no dirty item: the check would prove nothing"
say "local engine: $dirty dirty items of $(jq '.summary.n_items' "$W/out/local/decontam.json")"

same_as_local() { # $1 label, $2 out dir
  tasks_of "$2" >"$2.tasks"
  cmp -s "$W/local.tasks" "$2.tasks" || fail "$1: per-item results differ from the local engine's ($2.tasks)"
  say "$1: per-item results byte-identical to the local engine's"
}

run_cluster() { # $1 label, $2 extra JVM options, then evalh decontam arguments
  local label="$1" extra="$2"
  shift 2
  EVALH_JAVA_OPTS="$DRIVER_OPTS $extra" ./evalh decontam --engine spark --master "$MASTER" \
    --items "$ITEMS" --corpus "$W/corpus" "$@" >"$W/logs/$label.log" 2>&1 \
    || fail "$label (logs/$label.log)"
}

t=$(date +%s)
run_cluster scan "" --mode scan --out "$W/out/scan"
same_as_local "scan on $MASTER ($(($(date +%s) - t)) s)" "$W/out/scan"

t=$(date +%s)
run_cluster index "" --mode index --shards-out "file://$W/shards-index" --out "$W/out/index"
same_as_local "index on $MASTER ($(($(date +%s) - t)) s)" "$W/out/index"
grep -q '"engine" : "spark' "$W/out/index/decontam.json" || fail "index mode's report does not name the spark engine"
# sized from the registered executor (Spark's standalone defaults: one executor with the worker's
# 2 cores and a 1 GB heap), not from defaultParallelism before any executor had registered
grep -q "spark index: 1 executor(s), 2 task slot(s), 2 per executor, 1024 MB heap per executor; 6 corpus file(s) into 2 shard(s) (one per task slot, at most one per file), Lucene buffer 72 MB per task" "$W/logs/index.log" \
  || fail "index mode did not size itself from the executor (logs/index.log)"
grep -h "spark index: [0-9]* executor" "$W/logs/index.log" | sed 's/^/  /'

KRYO="-Dspark.serializer=org.apache.spark.serializer.KryoSerializer"
run_cluster scan-kryo "$KRYO" --mode scan --out "$W/out/scan-kryo"
same_as_local "scan with KryoSerializer" "$W/out/scan-kryo"

# The paraphrase pass in scan mode (issue 20): no window index, the corpus's windows streamed past
# the items on the executors (with KryoSerializer); every item's paraphrase result and every task's
# threshold must be byte-identical to the local window index's.
./evalh decontam --items "$ITEMS" --corpus "$W/corpus" --index-root "$W/indexes" --paraphrase \
  --out "$W/out/para-local" >"$W/logs/para-local.log" 2>&1 || fail "local paraphrase pass (logs/para-local.log)"
suspects=$(jq '[.tasks[].items[].paraphrase.suspect | select(.)] | length' "$W/out/para-local/decontam.json")
[ "$suspects" -gt 0 ] || fail "the local paraphrase pass found no suspect: the check would prove nothing"
tasks_of "$W/out/para-local" >"$W/para-local.tasks"
t=$(date +%s)
run_cluster para-scan "$KRYO" --mode scan --paraphrase --out "$W/out/para-scan"
tasks_of "$W/out/para-scan" >"$W/out/para-scan.tasks"
cmp -s "$W/para-local.tasks" "$W/out/para-scan.tasks" \
  || fail "paraphrase scan: per-item results differ from the local window index's ($W/out/para-scan.tasks)"
say "paraphrase scan on $MASTER ($(($(date +%s) - t)) s): $suspects suspects; per-item results byte-identical to the local window index's"

# A local --shards-out with a cluster master: refused before anything runs.
set +e
EVALH_JAVA_OPTS="$DRIVER_OPTS" ./evalh decontam --engine spark --master "$MASTER" --items "$ITEMS" \
  --corpus "$W/corpus" --mode index --shards-out "$W/shards-plain" --out "$W/out/plain" \
  >"$W/logs/plain.log" 2>&1
rc=$?
set -e
[ "$rc" = 1 ] || fail "a plain --shards-out with $MASTER gave exit $rc, expected 1 (logs/plain.log)"
grep -q "is a path on this machine" "$W/logs/plain.log" || fail "no explanation for the refused --shards-out"
[ ! -e "$W/shards-plain" ] && [ ! -e "$W/out/plain" ] || fail "the refused run wrote output"
say "a plain --shards-out with a cluster master is refused (exit 1, nothing written)"

# Kill one executor JVM mid-run (index mode, the longest job; with KryoSerializer), by its PID:
# the application must get a new executor, retry the lost tasks and give the same result.
t=$(date +%s)
EVALH_JAVA_OPTS="$DRIVER_OPTS $KRYO" ./evalh decontam --engine spark --master "$MASTER" --items "$ITEMS" \
  --corpus "$W/corpus" --mode index --shards-out "file://$W/shards-kill" --out "$W/out/kill" \
  >"$W/logs/kill.log" 2>&1 &
DRIVER_PID=$!
PIDS+=("$DRIVER_PID")
EXEC_PID=""
# up to 2 minutes: on a loaded machine the driver takes a while to plan the shards
for _ in $(seq 1200); do
  if grep -q "corpus file(s) into" "$W/logs/kill.log"; then
    EXEC_PID="$(ps -o pid=,args= --ppid "$WORKER_PID" | awk '/CoarseGrainedExecutorBackend/ {print $1; exit}')"
    [ -n "$EXEC_PID" ] && break
  fi
  kill -0 "$DRIVER_PID" 2>/dev/null || break
  sleep 0.1
done
[ -n "$EXEC_PID" ] || fail "no executor JVM to kill (logs/kill.log)"
# kill while the index tasks are building their shards: in the executor's Spark-managed local dirs
SCRATCH=""
for _ in $(seq 1200); do
  SCRATCH="$(find "$W/local" -name 'evalh-shard-*' -print -quit 2>/dev/null)"
  [ -n "$SCRATCH" ] && break
  sleep 0.1
done
[ -n "$SCRATCH" ] || fail "no shard scratch folder appeared under the executors' local dirs ($W/local)"
say "index tasks build in the executor's local dir: ${SCRATCH#"$W"/}"
# Only 127.0.0.1, while a job runs: every listening socket of the master, the worker, the
# executor and the driver.
checked=0
for p in "$MASTER_PID" "$WORKER_PID" "$EXEC_PID" "$DRIVER_PID"; do
  socks="$(ss -ltnpH | grep "pid=$p," | awk '{print $4}' || true)"
  [ -n "$socks" ] || fail "pid $p has no listening socket: the check would prove nothing"
  bad="$(echo "$socks" | grep -v -e '^127\.0\.0\.1:' -e '^\[::ffff:127\.0\.0\.1\]:' || true)"
  [ -z "$bad" ] || fail "pid $p listens on $bad"
  checked=$((checked + $(echo "$socks" | wc -l)))
done
say "all $checked listening sockets of master, worker, executor and driver are on 127.0.0.1"
grep -q "shard(s), .* documents" "$W/logs/kill.log" && fail "the index job ended before the kill: make the corpus larger"
kill -9 "$EXEC_PID"
say "killed executor JVM $EXEC_PID mid-run ($(($(date +%s) - t)) s in)"
wait "$DRIVER_PID" || fail "the run with a killed executor failed (logs/kill.log)"
grep -q "Executor app-.* finished with state\|Removing executor" "$W/logs/master.log" \
  || fail "the master never saw the executor die"
same_as_local "index with KryoSerializer and executor $EXEC_PID killed ($(($(date +%s) - t)) s)" "$W/out/kill"
fi

# evalh run --engine spark: a checkpoint sweep, one Spark task per checkpoint, against the local
# sweep of the same checkpoints; the executor JVM is killed while the units score.
CK="$W/ckpts/mix"
for m in 1:tiny-llama 2:tiny-qwen2 3:tiny-olmo2; do
  mkdir -p "$CK/step-${m%%:*}"
  cp engine/src/test/resources/fixtures/models/"${m#*:}"/* "$CK/step-${m%%:*}/"
done
SWEEP=(run --task mmlu-science,wikitext-2 --sample-data --ckpt "$CK" --device cpu
  --batch-tokens 2048 --cache-batch 16 --no-progress)
t=$(date +%s)
./evalh "${SWEEP[@]}" -o "$W/runs/local" >"$W/logs/run-local.log" 2>&1 || fail "local sweep (logs/run-local.log)"
LOCAL_S=$(($(date +%s) - t))
say "local sweep: 3 checkpoints x mmlu-science,wikitext-2 in $LOCAL_S s"
t=$(date +%s)
EVALH_JAVA_OPTS="$DRIVER_OPTS" ./evalh "${SWEEP[@]}" --engine spark --master "$MASTER" \
  -o "$W/runs/spark" >"$W/logs/run-spark.log" 2>&1 &
DRIVER_PID=$!
PIDS+=("$DRIVER_PID")
EXEC_PID=""
# kill once a unit has appended scores to its request cache (mid-unit), up to 3 minutes
for _ in $(seq 1800); do
  if [ -n "$(find "$W/runs/spark" -name requests.jsonl -size +0 -print -quit 2>/dev/null)" ]; then
    EXEC_PID="$(ps -o pid=,args= --ppid "$WORKER_PID" | awk '/CoarseGrainedExecutorBackend/ {print $1; exit}')"
    [ -n "$EXEC_PID" ] && break
  fi
  kill -0 "$DRIVER_PID" 2>/dev/null || break
  sleep 0.1
done
[ -n "$EXEC_PID" ] || fail "no unit started scoring on an executor (logs/run-spark.log)"
kill -9 "$EXEC_PID"
say "killed executor JVM $EXEC_PID while the units scored ($(($(date +%s) - t)) s in)"
wait "$DRIVER_PID" || fail "the sweep with a killed executor failed (logs/run-spark.log)"
SPARK_S=$(($(date +%s) - t))
grep -q "3 checkpoint(s): 3 scored, 0 skipped (done already), 0 failed" "$W/logs/run-spark.log" \
  || fail "the spark sweep did not score all three checkpoints (logs/run-spark.log)"
grep -q "ExecutorLostFailure\|Lost task" "$W/logs/run-spark.log" \
  || fail "the driver never saw a task lost with the executor (logs/run-spark.log)"
( cd "$W/runs/local" && find . -type f ! -path '*/cache/*' ! -name '.evalh-run.lock' | sort ) >"$W/run-local.files"
( cd "$W/runs/spark" && find . -type f ! -path '*/cache/*' ! -name '.evalh-run.lock' | sort ) >"$W/run-spark.files"
cmp -s "$W/run-local.files" "$W/run-spark.files" || fail "the spark sweep wrote other files than the local one ($W/run-*.files)"
[ "$(grep -c results.json "$W/run-local.files")" = 3 ] || fail "the local sweep did not write 3 results.json"
while read -r f; do
  case "$f" in
    */results.json)
      jq -S 'del(.evalh.wall_seconds, .evalh.tokens_per_second, .evalh.this_run)' "$W/runs/local/$f" >"$W/a.json"
      jq -S 'del(.evalh.wall_seconds, .evalh.tokens_per_second, .evalh.this_run)' "$W/runs/spark/$f" >"$W/b.json"
      cmp -s "$W/a.json" "$W/b.json" || fail "$f differs from the local sweep's (beyond timing fields)" ;;
    *) cmp -s "$W/runs/local/$f" "$W/runs/spark/$f" || fail "$f differs from the local sweep's" ;;
  esac
done <"$W/run-local.files"
resumed=0
for f in "$W"/runs/spark/mix/*/results.json; do
  [ "$(jq '.evalh.this_run.cache_hits' "$f")" -gt 0 ] && resumed=$((resumed + 1))
done
[ "$resumed" -gt 0 ] || fail "no unit resumed from its request cache after the kill"
say "spark sweep ($SPARK_S s, executor $EXEC_PID killed; $resumed unit(s) resumed from their cache): $(wc -l <"$W/run-local.files") files identical to the local sweep's (results.json less timing fields)"

if [ -n "${SPARK_CHECK_BENCH_GB:-}" ]; then
  t=$(date +%s)
  EVALH_JAVA_OPTS="$DRIVER_OPTS" ./evalh bench-decontam --work "$W/bench" --size-gb "$SPARK_CHECK_BENCH_GB" \
    --strides 1 --compare-mb 0 --spark-masters "local[2],$MASTER" --spark-index \
    | tee "$W/logs/bench.log" || fail "bench-decontam (logs/bench.log)"
  BENCH_S=$(($(date +%s) - t))
fi

# Stop the cluster (the trap does the same on failure), then: no scratch shard folder left in
# the executors' local dirs (the worker removes an application's dirs when it ends).
kill "$WORKER_PID" "$MASTER_PID"
for p in "$WORKER_PID" "$MASTER_PID"; do
  for _ in $(seq 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
done
left="$(find "$W/local" -name 'evalh-shard-*' 2>/dev/null | head -n 3)"
[ -z "$left" ] || fail "shard scratch folders left behind: $left"
say "no shard scratch folder left under the executors' local dirs"
say "passed in $(($(date +%s) - T0)) s${BENCH_S:+ (bench-decontam: $BENCH_S s of it)}"
