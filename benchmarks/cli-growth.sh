#!/usr/bin/env bash
# `custseg rfm` and `custseg clv` end to end on generated purchase files of growing size: wall, user+sys, peak RSS
# (/usr/bin/time -v) and the load average before and after each run. Warm page cache (the file is read once first).
#
# usage: bash benchmarks/cli-growth.sh [RUNS] [SIZES...]      (default 1 run; sizes 1000000 2000000 5000000 10000000)
# Files: /tmp/tx1m.csv and /tmp/tx10m.csv if present, else $DIR/tx<N>.csv (DIR default /tmp/bench), generated with
#        gen_transactions.py N FILE 11 when missing. Output: $DIR/cli-growth.tsv (appended).
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
peers=$here/../shared/peers; [ -d "$peers" ] || peers=$here/../../shared/peers
runs=${1:-1}; shift $(( $# >= 1 ? 1 : 0 ))
sizes=("$@"); [ ${#sizes[@]} -gt 0 ] || sizes=(1000000 2000000 5000000 10000000)
dir=${DIR:-/tmp/bench}; mkdir -p "$dir"
dotnet build "$here/samples/CustomerSegmentation.Cli" -c Release -v q --nologo >/dev/null || exit 1
dll="$here/samples/CustomerSegmentation.Cli/bin/Release/net10.0/custseg.dll"
tsv="$dir/cli-growth.tsv"
[ -f "$tsv" ] || printf 'command\tcustomers\trows\tstart_utc\tload_before\tload_after\twall_s\tuser_sys_s\tmaxrss_mb\trc\n' > "$tsv"
for n in "${sizes[@]}"; do
  case $n in 1000000) f=/tmp/tx1m.csv;; 10000000) f=/tmp/tx10m.csv;; *) f=$dir/tx$n.csv;; esac
  [ -s "$f" ] || f=$dir/tx$n.csv
  [ -s "$f" ] || /usr/bin/python3 "$peers/gen_transactions.py" "$n" "$f" 11
  rows=$(( $(wc -l < "$f") - 1 ))
  for r in $(seq "$runs"); do
    for cmd in rfm clv; do
      cat "$f" > /dev/null
      if [ $cmd = rfm ]; then set -- rfm --transactions "$f" --as-of 2025-12-31 --out "$dir/out-rfm-$n.csv"
      else set -- clv --transactions "$f" --calibration-end 2025-12-31 --params-out "$dir/out-clv-$n.json" --out "$dir/out-clv-$n.csv"; fi
      load0=$(cut -d' ' -f1-3 /proc/loadavg); t0=$(date -u +%H:%M:%S)
      /usr/bin/time -v dotnet "$dll" "$@" > "$dir/cli-$cmd-$n.log" 2>&1; rc=$?
      load1=$(cut -d' ' -f1-3 /proc/loadavg)
      wall=$(awk -F': ' '/Elapsed \(wall clock\)/{n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$dir/cli-$cmd-$n.log")
      cpu=$(awk -F': ' '/User time/{u=$2} /System time/{s=$2} END{print u+s}' "$dir/cli-$cmd-$n.log")
      rss=$(awk -F': ' '/Maximum resident/{printf "%.0f", $2/1024}' "$dir/cli-$cmd-$n.log")
      printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$cmd" "$n" "$rows" "$t0" "$load0" "$load1" "$wall" "$cpu" "$rss" "$rc" | tee -a "$tsv"
    done
  done
done
