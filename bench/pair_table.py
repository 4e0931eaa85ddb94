#!/usr/bin/env python3
"""Reads a log written by bench/pairs.sh and prints the PERFORMANCE.md table: per workload, pair 1's figures, the
ratio Nabla / PyTorch in every pair (for add_1000_us Nabla's time over PyTorch's, lower is better), the worst and
the median ratio (misses in bold), and how many pairs miss the issue's target.

    python3 bench/pair_table.py LOG
"""
import json
import statistics
import sys

# (key, target, True when higher is better, unit); targets from issue 5, and issues 6 and 7 for the last two.
WORKLOADS = [
    ("gemm_256_gflops", 1.0, True, "GFLOP/s"),
    ("gemm_1024_gflops", 1.0, True, "GFLOP/s"),
    ("gemm_2048_gflops", 1.0, True, "GFLOP/s"),
    ("add_1000_us", 0.5, False, "µs per add"),
    ("mlp_train_samples_per_s", 1.5, True, "samples/s"),
    ("lenet_train_samples_per_s", 1.5, True, "samples/s"),
    ("cnn_train_samples_per_s", 1.2, True, "samples/s"),
    ("lstm_train_tokens_per_s", 1.5, True, "tokens/s"),
    ("transformer_train_tokens_per_s", 1.2, True, "tokens/s"),
]


def read_pairs(path):
    """The complete pairs of the log; a pair whose either side printed no JSON is reported and left out."""
    try:
        lines = open(path, encoding="utf-8").read().splitlines()
    except OSError as error:
        sys.exit(f"pair_table.py: cannot read {path}: {error.strerror}")
    pairs, nabla = [], None
    for number, line in enumerate(lines, 1):
        side, _, text = line.strip().partition(" ")
        if side not in ("nabla", "torch"):
            continue
        try:
            figures = json.loads(text)
        except json.JSONDecodeError:
            print(f"line {number}: {side} printed no JSON, pair left out", file=sys.stderr)
            nabla = None
            continue
        if side == "nabla":
            nabla = figures
        elif nabla is not None:
            pairs.append((nabla, figures))
            nabla = None
    return pairs


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: pair_table.py LOG")
    pairs = read_pairs(sys.argv[1])
    if not pairs:
        sys.exit(f"pair_table.py: no complete pair in {sys.argv[1]}")
    print(f"{len(pairs)} pairs\n")
    print("| key | Nabla (pair 1) | PyTorch (pair 1) | ratios, pair by pair | worst | median | pairs missing | target | unit |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for key, target, higher, unit in WORKLOADS:
        present = [(n, t) for n, t in pairs if key in n and key in t]
        if not present:
            continue
        ratios = [n[key] / t[key] for n, t in present]
        worst = min(ratios) if higher else max(ratios)
        misses = [r < target if higher else r > target for r in ratios]
        missing = sum(misses)
        # A miss is printed in bold to three places, so 0.997 does not read as a 1.00 that met the target.
        shown = ", ".join(f"**{r:.3f}**" if miss else f"{r:.2f}" for r, miss in zip(ratios, misses))
        first_n, first_t = present[0][0][key], present[0][1][key]
        print(f"| `{key}` | {first_n:,.2f} | {first_t:,.2f} | {shown} | "
              f"{worst:.3f} | {statistics.median(ratios):.2f} | {missing} | {'≥' if higher else '≤'} {target} | {unit} |")
    rss = [n["peak_rss_mb"] for n, _ in pairs if "peak_rss_mb" in n]
    if rss:
        print(f"\nNabla peak RSS, all workloads in one process: {min(rss):.1f}–{max(rss):.1f} MB")


if __name__ == "__main__":
    main()
