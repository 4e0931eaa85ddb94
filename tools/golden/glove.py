"""Golden fixture for GloVe (the notes' 14.5): the co-occurrence counts and the per-entry AdaGrad fit.

Writes tests/Nabla.Tests/Golden/glove.json with one case: a tiny corpus of word ids, its co-occurrence entries
(x_ij += 1/d for each pair d <= window apart in a sentence, both ways), starting tables, and the tables and mean
losses after three epochs in which each entry in turn takes one torch.optim.Adagrad step on
h(x) (v_i . u_j + b_i + c_j - log x)^2, h(x) = (x / x_max)^alpha below x_max and 1 above.

Run with /usr/bin/python3 tools/golden/glove.py (PyTorch 1.13).
"""
import math

import torch

from common import encode, save_cases

SENTENCES = [[0, 1, 2, 3, 1, 0], [2, 4, 5, 2], [1, 3, 3, 5, 0, 4, 2], [5, 1]]
WORDS, WINDOW, DIM = 6, 3, 4
LR, INITIAL_ACCUMULATOR, X_MAX, ALPHA, EPOCHS = 0.05, 1.0, 2.0, 0.75, 3


def cooccurrences():
    counts = {}
    for s in SENTENCES:
        for c in range(len(s)):
            for d in range(1, WINDOW + 1):
                if c - d < 0:
                    break
                i, j = s[c], s[c - d]
                counts[(i, j)] = counts.get((i, j), 0.0) + 1.0 / d
                counts[(j, i)] = counts.get((j, i), 0.0) + 1.0 / d
    return sorted((i, j, x) for (i, j), x in counts.items())


def main():
    gen = torch.Generator().manual_seed(14)
    entries = cooccurrences()
    assert any(x >= X_MAX for _, _, x in entries) and any(x < X_MAX for _, _, x in entries), "h must see both branches"

    def draw(*shape):
        return ((torch.rand(shape, generator=gen, dtype=torch.float64) - 0.5) / DIM).float()

    start = {"centers": draw(WORDS, DIM), "contexts": draw(WORDS, DIM), "center_bias": draw(WORDS), "context_bias": draw(WORDS)}
    tables = {k: v.clone().requires_grad_(True) for k, v in start.items()}
    v, u, b, c = tables["centers"], tables["contexts"], tables["center_bias"], tables["context_bias"]
    opt = torch.optim.Adagrad([v, u, b, c], lr=LR, initial_accumulator_value=INITIAL_ACCUMULATOR, eps=1e-10)
    orders, losses = [], []
    for _ in range(EPOCHS):
        order = torch.randperm(len(entries), generator=gen).tolist()
        orders.append(order)
        total = 0.0
        for e in order:
            i, j, x = entries[e]
            weight = torch.tensor((x / X_MAX) ** ALPHA if x < X_MAX else 1.0, dtype=torch.float32)
            log_x = torch.tensor(math.log(x), dtype=torch.float32)
            opt.zero_grad()
            diff = v[i] @ u[j] + b[i] + c[j] - log_x
            loss = weight * diff * diff
            loss.backward()
            opt.step()
            total += loss.item()
        losses.append(total / len(order))

    case = {
        "name": "glove_v6_d4_w3",
        "sentences": SENTENCES, "words": WORDS, "window": WINDOW, "dim": DIM,
        "lr": LR, "initial_accumulator": INITIAL_ACCUMULATOR, "x_max": X_MAX, "alpha": ALPHA,
        "entries": [[i, j, x] for i, j, x in entries],
        "start": {k: encode(t) for k, t in start.items()},
        "orders": orders,
        "losses": losses,
        "end": {k: encode(t) for k, t in tables.items()},
    }
    save_cases("glove", [case])


if __name__ == "__main__":
    main()
