#!/usr/bin/env bash
# The bench/map workload through the real `milieu` binary, end to end, on a fresh SQLite
# database: every step is a separate process that reads what it needs from the database.
#   cli_pipeline.sh MILIEU DB FILE.csv.gz                 one year:
#       map import cbp FILE                                 (parse + store)
#       map lq --year Y --format csv > /dev/null            (load year, LQ, write every row)
#       map discover --year Y --clusters 50 --signals employment --neighbours 0
#                                                           (load year, co-location of
#                                                            log(1+LQ) across counties,
#                                                            average linkage cut at K=50)
#   cli_pipeline.sh MILIEU DB FILE... --shift-share       five years:
#       map import cbp FILES; map shift-share --from first --to last --format csv > /dev/null;
#       map lq --year each --format csv > /dev/null
# Prints one line: step wall times, "cpu Xs" (user+sys of all steps) and "total Ys" (wall).
set -euo pipefail
M=$1; DB=$2; shift 2
files=(); shift_share=0
for a in "$@"; do
  if [ "$a" = "--shift-share" ]; then shift_share=1; else files+=("$a"); fi
done
rm -f "$DB" "$DB-wal" "$DB-shm"
TIMEFORMAT='%R %U %S'
declare -a names walls
cpu=0; total=0
step() { # name, command...
  local name=$1; shift
  local t
  t=$( { time "$@" > /dev/null 2>&1; } 2>&1 )
  read -r w u s <<<"$t"
  names+=("$name"); walls+=("$w")
  cpu=$(awk "BEGIN{print $cpu + $u + $s}")
  total=$(awk "BEGIN{print $total + $w}")
}
years=()
for f in "${files[@]}"; do
  y=$(basename "$f" | sed -E 's/.*_([0-9]{4})\.csv(\.gz)?$/\1/'); years+=("$y")
done
step import "$M" --db "$DB" map import cbp "${files[@]}"
if [ $shift_share = 1 ]; then
  step shift-share "$M" --db "$DB" map shift-share --from "${years[0]}" --to "${years[-1]}" --format csv
  args=(); for y in "${years[@]}"; do args+=(--year "$y"); done
  step lq-all-years "$M" --db "$DB" map lq "${args[@]}" --format csv
else
  step lq "$M" --db "$DB" map lq --year "${years[0]}" --format csv
  step discover "$M" --db "$DB" map discover --year "${years[0]}" --clusters 50 --signals employment --neighbours 0 --show summary
fi
line="milieu-cli:"
for i in "${!names[@]}"; do line+=" ${names[$i]} ${walls[$i]}s |"; done
printf '%s cpu %.2fs | total %.3fs\n' "$line" "$cpu" "$total"
rm -f "$DB" "$DB-wal" "$DB-shm"
