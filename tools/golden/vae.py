"""Golden fixture for the autoencoder and the variational autoencoder (Nabla.Models.Generative).

The same architectures in PyTorch (state-dict names included), with fixed random weights, inputs in [0, 1] and a
fixed noise eps: reconstruction logits, mu and log-variance, the losses and every parameter's gradient. Writes
tests/Nabla.Tests/Golden/vae.json. Run with /usr/bin/python3 tools/golden/vae.py (PyTorch 1.13).
"""
import json

import torch
from torch import nn
import torch.nn.functional as F

from common import encode, save_cases


def layers(widths, relu_after_last):
    mods = []
    for i in range(len(widths) - 1):
        mods.append(nn.Linear(widths[i], widths[i + 1]))
        if i + 2 < len(widths) or relu_after_last:
            mods.append(nn.ReLU())
    return nn.Sequential(*mods)


class Autoencoder(nn.Module):
    def __init__(self, inputs, hidden, latent):
        super().__init__()
        self.encoder = layers([inputs, *hidden, latent], False)
        self.decoder = layers([latent, *reversed(hidden), inputs], False)

    def forward(self, x):
        return self.decoder(self.encoder(x.reshape(x.shape[0], -1)))


class Vae(nn.Module):
    def __init__(self, inputs, hidden, latent):
        super().__init__()
        self.encoder = layers([inputs, *hidden], True)
        self.mean = nn.Linear(hidden[-1], latent)
        self.log_var = nn.Linear(hidden[-1], latent)
        self.decoder = layers([latent, *reversed(hidden), inputs], False)

    def forward(self, x, eps):
        h = self.encoder(x.reshape(x.shape[0], -1))
        mu, log_var = self.mean(h), self.log_var(h)
        return self.decoder(mu + torch.exp(0.5 * log_var) * eps), mu, log_var


def vae_loss(logits, x, mu, log_var):
    n = logits.shape[0]
    rec = F.binary_cross_entropy_with_logits(logits, x.reshape(n, -1), reduction="sum") / n
    kl = -0.5 * torch.sum(1 + log_var - mu.pow(2) - log_var.exp()) / n
    return rec + kl, rec, kl


def grads(model):
    return {k: encode(p.grad) for k, p in model.named_parameters()}


def main():
    torch.manual_seed(20)
    cases = []
    for dtype in (torch.float32, torch.float64):
        name = "float32" if dtype == torch.float32 else "float64"
        x = torch.rand(4, 1, 3, 4, dtype=dtype)   # 12 values per input, as a small image batch

        ae = Autoencoder(12, [8], 3).to(dtype)
        logits = ae(x)
        loss = F.binary_cross_entropy_with_logits(logits, x.reshape(4, -1))
        loss.backward()
        cases.append({"name": f"autoencoder_{name}", "model": "autoencoder", "hidden": [8], "latent": 3,
                      "state": {k: encode(v) for k, v in ae.state_dict().items()}, "input": encode(x),
                      "logits": encode(logits), "loss": loss.item(), "grads": grads(ae)})

        vae = Vae(12, [8, 6], 3).to(dtype)
        eps = torch.randn(4, 3, dtype=dtype)
        logits, mu, log_var = vae(x, eps)
        total, rec, kl = vae_loss(logits, x, mu, log_var)
        total.backward()
        cases.append({"name": f"vae_{name}", "model": "vae", "hidden": [8, 6], "latent": 3,
                      "state": {k: encode(v) for k, v in vae.state_dict().items()}, "input": encode(x), "noise": encode(eps),
                      "logits": encode(logits), "mean": encode(mu), "log_var": encode(log_var),
                      "loss": total.item(), "reconstruction": rec.item(), "kl": kl.item(), "grads": grads(vae)})
    save_cases("vae", cases)


if __name__ == "__main__":
    main()
