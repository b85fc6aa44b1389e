#!/usr/bin/env bash
# Measures `custseg rfm` against the peers in ../shared/peers on the same file, in one run:
# warm page cache before every run, several runs each, minimum and median wall time, peak RSS.
#
# usage: bash benchmarks/compare-peers.sh CUSTOMERS [RUNS] [PEERS]
#   CUSTOMERS  e.g. 1000000 or 10000000 (file generated once with gen_transactions.py CUSTOMERS FILE 11)
#   RUNS       runs per tool (default 3)
#   PEERS      space-separated subset of "custseg duckdb pandas linq" (default "custseg duckdb pandas")
# Needs: Debian python3-pandas (installed if missing), the DuckDB.NET.Data.Full package (restored into /tmp).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
peers=${PEERS_DIR:-$here/../shared/peers}
[ -d "$peers" ] || peers=$here/../../shared/peers   # from a worktree under /work/wt
n=${1:?customers}; runs=${2:-3}; which_peers=${3:-custseg duckdb pandas}
work=${WORK_DIR:-/tmp/custseg-peers}; mkdir -p "$work"
tx="$work/tx$n.csv"; asof=2025-12-31

if ! /usr/bin/python3 -c 'import pandas' 2>/dev/null; then
  apt-get update -qq && apt-get install -y -qq python3-pandas >/dev/null
fi
[ -s "$tx" ] || /usr/bin/python3 "$peers/gen_transactions.py" "$n" "$tx" 11

dotnet publish "$here/samples/CustomerSegmentation.Cli" -c Release -o "$work/custseg" -v q --nologo >/dev/null
if [[ " $which_peers " == *" duckdb "* ]]; then
  rm -rf "$work/duckdb-src"; mkdir -p "$work/duckdb-src"; cp "$peers/rfm_duckdb_net/"* "$work/duckdb-src/"
  dotnet publish "$work/duckdb-src" -c Release -o "$work/duckdb" -v q --nologo >/dev/null
fi
if [[ " $which_peers " == *" linq "* ]]; then
  rm -rf "$work/linq-src"; mkdir -p "$work/linq-src"; cp "$peers/rfm_linq/"* "$work/linq-src/"
  dotnet publish "$work/linq-src" -c Release -o "$work/linq" -v q --nologo >/dev/null
fi

cmd_for() {
  case $1 in
    custseg) echo "$work/custseg/custseg rfm --transactions $tx --as-of $asof --out $work/out-custseg.csv" ;;
    duckdb)  echo "$work/duckdb/rfm_duckdb_net $tx $asof $work/out-duckdb.csv" ;;
    pandas)  echo "/usr/bin/python3 $peers/rfm_pandas.py $tx $asof $work/out-pandas.csv" ;;
    linq)    echo "$work/linq/rfm_linq $tx $asof $work/out-linq.csv" ;;
  esac
}

printf '%s\n' "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; $(uname -r); dotnet $(dotnet --version)"
printf '%s\n' "file: $tx ($(du -mL "$tx" | cut -f1) MB, $(($(wc -l < "$tx") - 1)) rows)"
printf '| tool | runs | min s | median s | peak RSS MB |\n|---|---|---|---|---|\n'
# Runs alternate between the tools (run 1 of every tool, then run 2, ...), so that a change in the machine's state
# (build servers winding down, other load) falls on all of them alike; each run's times go to $work/runs.tsv.
declare -A times rss
: > "$work/runs.tsv"
for ((i = 0; i < runs; i++)); do
  for tool in $which_peers; do
    cat "$tx" > /dev/null
    /usr/bin/time -f '%e %M' -o "$work/time.txt" $(cmd_for "$tool") > /dev/null 2> "$work/stderr-$tool.txt"
    read -r secs kb < "$work/time.txt"
    printf '%s\t%d\t%s\t%s\n' "$tool" "$i" "$secs" "$kb" >> "$work/runs.tsv"
    times[$tool]+="$secs "; (( kb > ${rss[$tool]:-0} )) && rss[$tool]=$kb
  done
done
for tool in $which_peers; do
  sorted=$(printf '%s\n' ${times[$tool]} | sort -n)
  min=$(echo "$sorted" | head -1); med=$(echo "$sorted" | awk '{a[NR]=$1} END{print (NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2}')
  printf '| %s | %d | %s | %s | %d |\n' "$tool" "$runs" "$min" "$med" $((${rss[$tool]} / 1024))
done
