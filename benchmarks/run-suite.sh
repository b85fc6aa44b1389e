#!/usr/bin/env bash
# Runs the hot-path BenchmarkDotNet classes at one size, one process per class, each under /usr/bin/time -v so the
# class's peak RSS (its shared data plus its largest case) is recorded beside BenchmarkDotNet's table.
#
# usage: bash benchmarks/run-suite.sh SIZE [JOB] [CLASS...]
#   SIZE   customers, e.g. 1000000 or 10000000 (sets CUSTSEG_BENCH_SIZES)
#   JOB    BenchmarkDotNet job: Dry (default), Short, ...
#   CLASS  class names to run (default: every hot-path class below, in this order)
#   BDN_ARGS (environment) more BenchmarkDotNet arguments, e.g. "--warmupCount 0" for a 10 M Dry run
# Output: $OUT (default /tmp/bench/suite-SIZE-JOB)/CLASS.log (BenchmarkDotNet output + time -v), CLASS.md (the table),
#         and summary.tsv (class, start, end, load before, load after, wall s, user+sys s, max RSS MB, exit code).
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
size=${1:?size}; job=${2:-Dry}; shift $(( $# >= 2 ? 2 : $# ))
classes=("$@")
if [ ${#classes[@]} -eq 0 ]; then
  classes=(RfmAggregateBenchmark RfmScoreBenchmark RfmScorerBenchmark RfmFileBenchmark BtydFitBenchmark BtydPredictionBenchmark
           ChurnAssessmentBenchmark ThresholdTierBenchmark QuantileTierBenchmark LifecycleBenchmark SegmentEvaluationBenchmark
           SegmentationEngineBenchmark TagQueryBenchmark TagAssignBenchmark FollowUpDueListBenchmark DuplicateDetectionBenchmark)
fi
out=${OUT:-/tmp/bench/suite-$size-$job}; mkdir -p "$out"
proj="$here/benchmarks/CustomerSegmentation.Benchmarks"
dotnet build "$proj" -c Release -v q --nologo >/dev/null || exit 1
dll="$proj/bin/Release/net10.0/CustomerSegmentation.Benchmarks.dll"
[ -f "$out/summary.tsv" ] || printf 'class\tstart\tend\tload_before\tload_after\twall_s\tuser_sys_s\tmaxrss_mb\trc\n' > "$out/summary.tsv"
for c in "${classes[@]}"; do
  load0=$(cut -d' ' -f1-3 /proc/loadavg); t0=$(date -u +%H:%M:%S)
  (cd "$out" && CUSTSEG_BENCH_SIZES=$size /usr/bin/time -v dotnet "$dll" --filter "*.$c.*" --job "$job" --inProcess ${BDN_ARGS:-} \
      --artifacts "$out/artifacts-$c" > "$out/$c.log" 2>&1); rc=$?
  load1=$(cut -d' ' -f1-3 /proc/loadavg); t1=$(date -u +%H:%M:%S)
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/{n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$out/$c.log")
  cpu=$(awk -F': ' '/User time/{u=$2} /System time/{s=$2} END{print u+s}' "$out/$c.log")
  rss=$(awk -F': ' '/Maximum resident/{printf "%.0f", $2/1024}' "$out/$c.log")
  find "$out/artifacts-$c/results" -name '*-report-github.md' -exec cat {} + > "$out/$c.md" 2>/dev/null
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$c" "$t0" "$t1" "$load0" "$load1" "$wall" "$cpu" "$rss" "$rc" | tee -a "$out/summary.tsv"
done
