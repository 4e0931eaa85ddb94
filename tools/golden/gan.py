"""Golden fixture for GanTrainer (Nabla.Training): the notes' GAN updates (20.1) in PyTorch.

Case "notes": the notes' toy GAN (generator Linear(2, 2); discriminator Linear(2, 5), Tanh, Linear(5, 3), Tanh,
Linear(3, 1); Adam lr 0.05 for D and 0.005 for G) for three steps on fixed batches of the notes' data
X = N(0, I) A + b. Case "conditional": a conditional GAN with one-hot conditions concatenated to G's noise and to
D's flattened input, SGD. Each step: D's loss = mean of BCE-with-logits on real (target 1) and detached fake
(target 0); then G's loss = BCE-with-logits of D on a freshly generated batch against 1. Records both losses per
step and the final parameters. Writes tests/Nabla.Tests/Golden/gan.json.
Run with /usr/bin/python3 tools/golden/gan.py (PyTorch 1.13).
"""
import json

import torch
from torch import nn
import torch.nn.functional as F

from common import encode, save_cases


def step(G, D, opt_G, opt_D, real, noise, cond=None):
    gen = lambda z: G(z if cond is None else torch.cat((z, cond), 1))
    dis = lambda x: D(x if cond is None else torch.cat((x.reshape(x.shape[0], -1), cond), 1))
    opt_D.zero_grad()
    real_y = dis(real)
    fake_y = dis(gen(noise).detach())
    loss_D = (F.binary_cross_entropy_with_logits(real_y, torch.ones_like(real_y))
              + F.binary_cross_entropy_with_logits(fake_y, torch.zeros_like(fake_y))) / 2
    loss_D.backward()
    opt_D.step()
    opt_G.zero_grad()
    y = dis(gen(noise))
    loss_G = F.binary_cross_entropy_with_logits(y, torch.ones_like(y))
    loss_G.backward()
    opt_G.step()
    return loss_D.item(), loss_G.item()


def main():
    torch.manual_seed(21)
    cases = []

    G = nn.Linear(2, 2)
    D = nn.Sequential(nn.Linear(2, 5), nn.Tanh(), nn.Linear(5, 3), nn.Tanh(), nn.Linear(3, 1))
    start = {"generator": {k: encode(v.clone()) for k, v in G.state_dict().items()},
             "discriminator": {k: encode(v.clone()) for k, v in D.state_dict().items()}}
    opt_G, opt_D = torch.optim.Adam(G.parameters(), lr=0.005), torch.optim.Adam(D.parameters(), lr=0.05)
    A, b = torch.tensor([[1.0, 2.0], [-0.1, 0.5]]), torch.tensor([1.0, 2.0])
    reals = [torch.normal(0.0, 1, (8, 2)) @ A + b for _ in range(3)]
    noises = [torch.normal(0.0, 1, (8, 2)) for _ in range(3)]
    losses = [step(G, D, opt_G, opt_D, x, z) for x, z in zip(reals, noises)]
    cases.append({"name": "notes", "start": start, "real": [encode(x) for x in reals], "noise": [encode(z) for z in noises],
                  "losses": losses, "end": {"generator": {k: encode(v) for k, v in G.state_dict().items()},
                                            "discriminator": {k: encode(v) for k, v in D.state_dict().items()}}})

    G = nn.Linear(2 + 3, 4)
    D = nn.Sequential(nn.Linear(4 + 3, 4), nn.Tanh(), nn.Linear(4, 1))
    start = {"generator": {k: encode(v.clone()) for k, v in G.state_dict().items()},
             "discriminator": {k: encode(v.clone()) for k, v in D.state_dict().items()}}
    opt_G, opt_D = torch.optim.SGD(G.parameters(), lr=0.1), torch.optim.SGD(D.parameters(), lr=0.1)
    reals = [torch.rand(6, 1, 2, 2) for _ in range(2)]   # images [N, 1, 2, 2], flattened to 4 for D
    noises = [torch.randn(6, 2) for _ in range(2)]
    conds = [F.one_hot(torch.randint(0, 3, (6,)), 3).float() for _ in range(2)]
    losses = [step(G, D, opt_G, opt_D, x, z, c) for x, z, c in zip(reals, noises, conds)]
    cases.append({"name": "conditional", "start": start, "real": [encode(x) for x in reals], "noise": [encode(z) for z in noises],
                  "condition": [encode(c) for c in conds], "losses": losses,
                  "end": {"generator": {k: encode(v) for k, v in G.state_dict().items()},
                          "discriminator": {k: encode(v) for k, v in D.state_dict().items()}}})

    save_cases("gan", cases)
    print(f"losses {[c['losses'] for c in cases]}")


if __name__ == "__main__":
    main()
