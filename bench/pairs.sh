#!/bin/bash
# Runs N benchmark pairs back to back, Nabla first and PyTorch right after, each printing its JSON line, and
# appends them to LOG. One pair is a few tens of seconds; alternating the two keeps a noisy machine's slow spells
# from landing on one side only. bench/pair_table.py turns the log into the PERFORMANCE.md table.
#
#   bash bench/pairs.sh N LOG [THREADS]     (from the repository root, with shared/ beside it at ../shared)
set -euo pipefail
if [ $# -lt 2 ]; then echo "usage: bash bench/pairs.sh N LOG [THREADS]" >&2; exit 2; fi
pairs=$1 log=$2 threads=${3:-2}
root=$(cd "$(dirname "$0")/.." && pwd)
peer="$root/../shared/bench/peer_torch.py"
[ -f "$peer" ] || { echo "pairs.sh: no PyTorch peer at $peer" >&2; exit 2; }
dotnet build "$root/bench/Nabla.Bench" -c Release -v quiet -nologo >/dev/null
bench="$root/bench/Nabla.Bench/bin/Release/net10.0/Nabla.Bench.dll"
echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) main at $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo "(not a git checkout)"), $threads threads" >> "$log"
for i in $(seq 1 "$pairs"); do
  echo "pair $i $(date -u +%H:%M:%S)" >> "$log"
  echo "nabla $(dotnet "$bench" --threads "$threads" | tail -1)" >> "$log"
  echo "torch $(/usr/bin/python3 "$peer" "$threads" 2>/dev/null | tail -1)" >> "$log"
done
