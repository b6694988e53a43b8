#!/usr/bin/env bash
# Turns bench/run.sh's raw results into the markdown of docs/benchmarks.md.
#   bash bench/report.sh RESULTS.tsv [DTRUST_ONLINE(1|0)]
# RESULTS.tsv rows: tool op size shape state mean_ms sd_ms requests peak_kib (tab-separated).
set -euo pipefail
RESULTS=$1
ONLINE=${2:-1}

awk -F'\t' -v online="$ONLINE" '
function cell(t, o, k) {
  k = t SUBSEP o SUBSEP key
  if (!(k in mean)) return "—"
  return sprintf("%s ± %s ms · %s req · %s", mean[k], sd[k], req[k],
                 peak[k] == "" ? "n/a" : sprintf("%.0f MiB", peak[k] / 1024))
}
function ratio(a, b) {
  if (a == "" || b == "" || b + 0 == 0) return ""
  return a / b
}
function fmt_ratio(r) { return r == "" ? "—" : sprintf("%.1f×", r) }
function verdict(ok) { return ok ? "**met**" : "**not met**" }
{
  k = $1 SUBSEP $2 SUBSEP $3 SUBSEP $4 SUBSEP $5
  mean[k] = $6; sd[k] = $7; req[k] = $8; peak[k] = $9
  if (!($3 in seen_size)) { seen_size[$3] = 1; sizes[++nsizes] = $3 }
}
END {
  # sizes in numeric order
  for (i = 1; i <= nsizes; ++i)
    for (j = i + 1; j <= nsizes; ++j)
      if (sizes[j] + 0 < sizes[i] + 0) { t = sizes[i]; sizes[i] = sizes[j]; sizes[j] = t }
  split("plain docker", shapes, " ")
  split("cold warm", states, " ")
  print "| repository | cache | operation | Go notary / docker | dtrust | speed-up |"
  print "|---|---|---|---|---|---|"
  for (i = 1; i <= nsizes; ++i) for (s = 1; s <= 2; ++s) for (c = 1; c <= 2; ++c) {
    key = sizes[i] SUBSEP shapes[s] SUBSEP states[c]
    repo = shapes[s] "-" sizes[i]
    n = split("notary:list:list notary:lookup:lookup docker:inspect:inspect", rows, " ")
    for (r = 1; r <= n; ++r) {
      split(rows[r], p, ":")
      other = p[1] SUBSEP p[2] SUBSEP key
      ours = "dtrust" SUBSEP p[3] SUBSEP key
      if (!(other in mean) && !(ours in mean)) continue
      label = (p[1] == "docker" ? "docker trust inspect" : "notary " p[2]) " / dtrust " p[3]
      printf "| %s | %s | %s | %s | %s | %s |\n", repo, states[c], label,
             cell(p[1], p[2]), cell("dtrust", p[3]),
             fmt_ratio(ratio(mean[other], mean[ours]))
    }
  }
  print ""
  print "### Targets (10,000-tag repositories)"
  print ""
  if (online != 1) {
    print "dtrust online commands not available: the targets could not be measured."
    exit
  }
  if (!(10000 in seen_size)) {
    print "Not measured: this run did not include the 10,000-tag repositories."
    exit
  }
  print "| target | measured | verdict |"
  print "|---|---|---|"
  for (s = 1; s <= 2; ++s) {
    key = 10000 SUBSEP shapes[s] SUBSEP "warm"
    r = ratio(mean["notary" SUBSEP "lookup" SUBSEP key], mean["dtrust" SUBSEP "lookup" SUBSEP key])
    q = req["dtrust" SUBSEP "lookup" SUBSEP key]
    printf "| warm `lookup` (%s) ≥ 20× faster than notary | %s | %s |\n", shapes[s],
           fmt_ratio(r), verdict(r != "" && r >= 20)
    printf "| warm `lookup` (%s) makes exactly 1 HTTP request | %s | %s |\n", shapes[s],
           q == "" ? "—" : q, verdict(q == "1")
  }
  key = 10000 SUBSEP "docker" SUBSEP "cold"
  ours = "dtrust" SUBSEP "inspect" SUBSEP key
  r = ratio(mean["docker" SUBSEP "inspect" SUBSEP key], mean[ours])
  printf "| cold docker-shaped `inspect` ≥ 10× faster than `docker trust inspect` | %s | %s |\n",
         fmt_ratio(r), verdict(r != "" && r >= 10)
  r = ratio(mean["notary" SUBSEP "list" SUBSEP key], mean[ours])
  printf "| cold docker-shaped `inspect` ≥ 5× faster than `notary list` | %s | %s |\n",
         fmt_ratio(r), verdict(r != "" && r >= 5)
  a = peak[ours]; b = peak["notary" SUBSEP "list" SUBSEP key]
  printf "| cold docker-shaped `inspect` peak memory ≤ ½ of `notary list` | %s | %s |\n",
         (a == "" || b == "") ? "—" : sprintf("%.0f MiB vs %.0f MiB (%.2f)", a / 1024, b / 1024, a / b),
         verdict(a != "" && b != "" && a * 2 <= b)
}' "$RESULTS"
