#!/usr/bin/env bash
# National-scale benchmark (docs/performance.md): rawan and the peer pipeline
# (../shared/bench/peer_pipeline.py: geopandas + libpysal/esda + matplotlib) on the same
# generated inputs, in the same run. Prints rawan's per-stage wall time, CPU time and peak
# memory, the peer's stage times, every round's wall times (BENCH_ROUNDS, default 3, taken in
# turns) and the ratio of the medians. BENCH_LARGE=1 adds the 10x set (840,000 villages,
# rawan only: the peer would need many minutes there).
set -euo pipefail
cd "$(dirname "$0")/.."
RAWAN=target/release/rawan
PEER=../shared/bench/peer_pipeline.py
DATA=bench-data
SIZES="1500 84000"
ROUNDS="${BENCH_ROUNDS:-3}"
[ -n "${BENCH_LARGE:-}" ] && SIZES="$SIZES 840000"

# The peer is a development tool kept beside the repository (../shared/bench); without it the
# benchmark still times rawan and says that no comparison was made.
HAVE_PEER=1
if [ ! -f "$PEER" ]; then
  HAVE_PEER=0
  echo "peer: $PEER not found: timing rawan only, no ratio (the peer lives beside the repository, not in it)"
fi

# The peer's Python packages, in a venv of their own. libpysal 4.15.1 and esda 2.10.0 (the
# versions ../shared/bench names) need Python >= 3.12; this machine has 3.11, so the newest
# versions that install on it are used and reported below.
if [ "$HAVE_PEER" = 1 ] && [ ! -x "$DATA/peer-venv/bin/python" ]; then
  python3 -m venv "$DATA/peer-venv"
  "$DATA/peer-venv/bin/pip" install -q geopandas==1.2.0 pyogrio libpysal==4.14.1 esda==2.9.0 matplotlib
fi
PY="$DATA/peer-venv/bin/python"

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -m); rawan $($RAWAN --version | cut -d' ' -f2)"
[ "$HAVE_PEER" = 1 ] && echo "peer: $($PY -c 'import geopandas, libpysal, esda; print("geopandas", geopandas.__version__, "libpysal", libpysal.__version__, "esda", esda.__version__)' 2>/dev/null)"

median() { printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END{print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }

for n in $SIZES; do
  dir="$DATA/v$n"
  # A set made by an older generator (no analyst's indicators) is made again.
  if ! grep -qx 'plain v2: with two [[indicators]] tables' "$dir/.done" 2>/dev/null; then
    rm -rf "$dir"
    $RAWAN synth --out "$dir" --villages "$n" --plain > "$DATA/synth-$n.log"
    echo 'plain v2: with two [[indicators]] tables' > "$dir/.done"
  fi
  rows=$(awk 'END{print NR-1}' "$dir/pmi_departures.csv")
  echo
  echo "== $n villages requested; $(grep villages.geojson "$DATA/synth-$n.log" | cut -d' ' -f2) generated, $rows departure rows, $(awk 'END{print NR-1}' "$dir/cases.csv") cases"
  # Up to 84,000 villages, rawan and the peer take turns for $ROUNDS rounds, so both meet
  # the same spells of a noisy machine; the ratio is that of the medians.
  rounds=$ROUNDS
  [ "$n" -gt 84000 ] && rounds=1
  rawan_times=(); peer_times=()
  for r in $(seq "$rounds"); do
    rm -rf "$DATA/out-$n"
    start=$(date +%s.%N)
    $RAWAN run "$dir/job.toml" --out "$DATA/out-$n" --timings --quiet 2> "$DATA/rawan-$n-$r.log"
    end=$(date +%s.%N)
    rawan_times+=("$(awk "BEGIN{print $end - $start}")")
    if [ "$r" = 1 ]; then
      sed 's/^/  rawan /' "$DATA/rawan-$n-1.log"
    fi
    if [ "$HAVE_PEER" = 1 ] && [ "$n" -le 84000 ]; then
      rm -rf "$DATA/peer-out-$n"
      start=$(date +%s.%N)
      MPLBACKEND=Agg "$PY" "$PEER" "$dir/job.toml" "$DATA/peer-out-$n" > "$DATA/peer-$n-$r.log" 2>&1 || { echo "  peer FAILED:"; tail -5 "$DATA/peer-$n-$r.log"; continue 2; }
      end=$(date +%s.%N)
      peer_times+=("$(awk "BEGIN{print $end - $start}")")
      [ "$r" = 1 ] && echo "  peer  $(tail -1 "$DATA/peer-$n-1.log")"
    fi
  done
  printf '  rawan wall (process), %s run(s): %s s\n' "$rounds" "$(printf '%.2f ' "${rawan_times[@]}")"
  if [ "$HAVE_PEER" = 1 ] && [ "$n" -le 84000 ]; then
    printf '  peer wall (process, incl. Python imports), %s run(s): %s s\n' "$rounds" "$(printf '%.2f ' "${peer_times[@]}")"
    printf '  ratio per round (peer / rawan): %s\n' "$(for r in $(seq 0 $((rounds - 1))); do awk "BEGIN{printf \"%.1fx \", ${peer_times[$r]} / ${rawan_times[$r]}}"; done)"
    rawan_median=$(median "${rawan_times[@]}"); peer_median=$(median "${peer_times[@]}")
    printf '  median: rawan %.2f s, peer %.2f s, ratio peer / rawan: %.1fx\n' "$rawan_median" "$peer_median" "$(awk "BEGIN{print $peer_median / $rawan_median}")"
  fi
  if [ "$n" = 84000 ]; then
    rm -rf "$DATA/out-$n-t1"
    $RAWAN run "$dir/job.toml" --out "$DATA/out-$n-t1" --threads 1 --quiet
    if diff -rq "$DATA/out-$n" "$DATA/out-$n-t1" > /dev/null; then
      echo "  outputs with 1 and 2 threads: byte-identical"
    else
      echo "  outputs with 1 and 2 threads: DIFFER"; diff -rq "$DATA/out-$n" "$DATA/out-$n-t1" | head
    fi
  fi
done
