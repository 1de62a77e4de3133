#!/usr/bin/env bash
# Issue 14's measurements on a machine with more cores than the 2 of the development machine,
# all on one generated corpus, in one run (a lent machine is held for minutes, not hours):
#
#   bench/many_cores.sh DOCS RESULTS_DIR        e.g. bench/many_cores.sh 10000 /tmp/results
#
# 1. the corpus (bench.corpus, one process per core);
# 2. our build and tantivy-py's on the same jieba words, each with one indexing process per core,
#    then the query mix on both, interleaved, every request as new (bench.peers);
# 3. the first query after opening our build (bench.first_query) and its size by part (bench.size);
# 4. HTTP: 8 client threads, 2,000 distinct quoted spans, against one waitress process and against
#    gunicorn workers (bench.http_clients; WORKERS, default "1,4,8").
# PY (default .venv/bin/python) runs it; JOBS (default: every core) sets the processes.
set -euo pipefail
cd "$(dirname "$0")/.."
DOCS=${1:?number of reports}
RESULTS=${2:?folder for the results}
PY=${PY:-.venv/bin/python}
JOBS=${JOBS:-$(nproc)}
WORKERS=${WORKERS:-1,4,8}
WORK=bench/work
CORPUS=$WORK/corpus-$DOCS-s1
mkdir -p "$RESULTS"
step() { echo "[$(date -u +%H:%M:%S)] $*"; }

step "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/2^20}' /proc/meminfo)," \
     "$("$PY" -c 'import platform; print(platform.python_version())')"
step "corpus of $DOCS reports, $JOBS processes"
"$PY" -m bench.corpus --docs "$DOCS" --out "$CORPUS" --jobs "$JOBS" | tail -1 | tee "$RESULTS/corpus.json"
step "builds and the query mix: ours and tantivy-py"
"$PY" -m bench.peers --docs "$DOCS" --jobs "$JOBS" --engines ours,tantivy --rounds 5 \
    --out "$RESULTS/peers.json" > "$RESULTS/peers.log"
grep -E '^\[|^    \{' "$RESULTS/peers.log" || true
"$PY" - "$RESULTS/peers.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for name, q in d["queries"].items():
    print(name, "build", d["builds"].get(name), "p50/p95", q["all"].get("p50_ms"), q["all"].get("p95_ms"),
          "first", d["first_query_ms"].get(name))
print("ratio to tantivy", d.get("ratio_to_tantivy"), "load", d.get("load_average"))
PY
INDEX=$WORK/peers-$DOCS/ours
step "first query after opening"
"$PY" -m bench.first_query --index-dir "$INDEX" | tee "$RESULTS/first_query.json"
step "size by part"
"$PY" -m bench.size --index-dir "$INDEX" --out "$RESULTS/size.json" > "$RESULTS/size.log"
grep -iE "total|cleaned" "$RESULTS/size.log" | head -5 || true
step "HTTP, 8 clients, workers $WORKERS"
"$PY" -m bench.http_clients --index-dir "$INDEX" --corpus "$CORPUS" --clients 8 --requests 2000 \
    --workers "$WORKERS" > "$RESULTS/http.log"
cat "$RESULTS/http.log" | tail -1 > "$RESULTS/http_clients.json"
head -n -1 "$RESULTS/http.log"
step done
