"""Golden fixtures for the loss functions (every loss x reduction, weights, ignore_index, label smoothing,
probability targets, pos_weight, the masked BCE-with-logits of the notes, large logits, float64).

Class weights, pos_weight and masks are constants in PyTorch (it refuses weights that require grad), so cases
list them as inputs without gradients: `case(..., const=(i, ...))` records them with a null gradient.
"""
import torch
import torch.nn.functional as F
from common import Fixture, encode

f = Fixture("losses", seed=7)
REDUCTIONS = ("none", "mean", "sum")


def case(name, fn, *inputs, const=()):
    """Fixture.case, except the inputs at the positions in `const` never require grad."""
    leaves = []
    for i, x in enumerate(inputs):
        x = x.clone()
        if x.dtype.is_floating_point and i not in const:
            x.requires_grad_(True)
        leaves.append(x)
    out = fn(*leaves)
    entry = {"name": name, "inputs": [encode(x) for x in leaves], "output": encode(out)}
    upstream = f.randn(*out.shape, dtype=out.dtype)
    (out * upstream).sum().backward()
    entry["upstream"] = encode(upstream)
    entry["grads"] = [encode(x.grad) if x.grad is not None else None for x in leaves]
    f.cases.append(entry)


def probs(*shape, dim=1, dtype=torch.float32):
    return torch.softmax(f.randn(*shape, dtype=dtype) * 2, dim)


def labels(n_classes, *shape):
    return f.randint(0, n_classes, *shape)


def masked_mean_bcel(x, y, mask, reduction, **kw):
    """The notes' masked loss, written out in PyTorch: zero outside the mask, mean over valid positions."""
    loss = torch.where(mask, F.binary_cross_entropy_with_logits(x, y, reduction="none", **kw), torch.zeros(()))
    if reduction == "none":
        return loss
    return loss.sum() if reduction == "sum" else loss.sum() / mask.expand_as(x).sum()


# ---- regression losses ----
for r in REDUCTIONS:
    case(f"mse_{r}", lambda x, y, r=r: F.mse_loss(x, y, reduction=r), f.randn(3, 4), f.randn(3, 4))
    case(f"l1_{r}", lambda x, y, r=r: F.l1_loss(x, y, reduction=r), f.randn(3, 4), f.randn(3, 4))
    case(f"smooth_l1_{r}", lambda x, y, r=r: F.smooth_l1_loss(x, y, reduction=r), f.randn(3, 5) * 2, f.randn(3, 5))
    case(f"huber_{r}", lambda x, y, r=r: F.huber_loss(x, y, reduction=r), f.randn(3, 5) * 2, f.randn(3, 5))
case("mse_half_mean", lambda x, y: 0.5 * F.mse_loss(x, y), f.randn(4, 3), f.randn(4, 3))
case("mse_noncontiguous", lambda x, y: F.mse_loss(x.t(), y), f.randn(4, 3), f.randn(3, 4))
case("smooth_l1_beta_half", lambda x, y: F.smooth_l1_loss(x, y, beta=0.5), f.randn(4, 5), f.randn(4, 5))
case("smooth_l1_beta_zero", lambda x, y: F.smooth_l1_loss(x, y, beta=0.0, reduction="sum"), f.randn(4, 5), f.randn(4, 5))
case("huber_delta_2", lambda x, y: F.huber_loss(x, y, delta=2.0, reduction="sum"), f.randn(4, 5) * 3, f.randn(4, 5))
case("mse_float64", lambda x, y: F.mse_loss(x, y), f.randn(3, 4, dtype=torch.float64), f.randn(3, 4, dtype=torch.float64))
case("smooth_l1_float64", lambda x, y: F.smooth_l1_loss(x, y, beta=0.7),
     f.randn(3, 4, dtype=torch.float64) * 2, f.randn(3, 4, dtype=torch.float64))
case("huber_float64", lambda x, y: F.huber_loss(x, y, delta=0.8, reduction="none"),
     f.randn(3, 4, dtype=torch.float64) * 2, f.randn(3, 4, dtype=torch.float64))

# ---- cross-entropy over class indices ----
w5 = f.rand(5, low=0.2, high=2.0)
ignored = torch.tensor([1, -100, 4, 0, -100, 2, 3])
for r in REDUCTIONS:
    case(f"ce_{r}", lambda x, t, r=r: F.cross_entropy(x, t, reduction=r), f.randn(7, 5), labels(5, 7))
    case(f"ce_weight_{r}", lambda x, t, w, r=r: F.cross_entropy(x, t, weight=w, reduction=r), f.randn(7, 5), labels(5, 7), w5, const=(2,))
    case(f"ce_ignore_{r}", lambda x, t, r=r: F.cross_entropy(x, t, reduction=r), f.randn(7, 5), ignored)
    case(f"ce_smoothing_{r}", lambda x, t, r=r: F.cross_entropy(x, t, label_smoothing=0.1, reduction=r), f.randn(7, 5), labels(5, 7))
    case(f"ce_all_options_{r}", lambda x, t, w, r=r: F.cross_entropy(x, t, weight=w, label_smoothing=0.2, reduction=r),
         f.randn(7, 5), ignored, w5, const=(2,))
    case(f"ce_spatial_{r}", lambda x, t, w, r=r: F.cross_entropy(x, t, weight=w, ignore_index=1, label_smoothing=0.05, reduction=r),
         f.randn(2, 5, 3, 4), labels(5, 2, 3, 4), w5, const=(2,))
case("ce_ignore_custom_index", lambda x, t, w: F.cross_entropy(x, t, weight=w, ignore_index=2), f.randn(6, 5), labels(5, 6), w5, const=(2,))
case("ce_unbatched", lambda x, t: F.cross_entropy(x, t, label_smoothing=0.1), f.randn(5), torch.tensor(3))
case("ce_noncontiguous", lambda x, t: F.cross_entropy(x.t(), t), f.randn(5, 6), labels(5, 6))
case("ce_large_logits", lambda x, t: F.cross_entropy(x, t, label_smoothing=0.1, reduction="none"), f.randn(4, 5) * 1e4, labels(5, 4))
case("ce_float64", lambda x, t, w: F.cross_entropy(x, t, weight=w, label_smoothing=0.15, reduction="sum"),
     f.randn(6, 5, dtype=torch.float64), torch.tensor([0, 4, -100, 2, 2, 1]), w5.double(), const=(2,))

# ---- cross-entropy over class probabilities ----
for r in REDUCTIONS:
    case(f"ce_prob_{r}", lambda x, p, r=r: F.cross_entropy(x, p, reduction=r), f.randn(6, 5), probs(6, 5))
case("ce_prob_weight_smoothing", lambda x, p, w: F.cross_entropy(x, p, weight=w, label_smoothing=0.1), f.randn(6, 5), probs(6, 5), w5, const=(2,))
case("ce_prob_spatial", lambda x, p: F.cross_entropy(x, p, reduction="mean"), f.randn(2, 5, 3), probs(2, 5, 3))
case("ce_prob_unbatched", lambda x, p: F.cross_entropy(x, p), f.randn(5), probs(5, dim=0))
case("ce_prob_large_logits", lambda x, p: F.cross_entropy(x, p, reduction="sum"), f.randn(3, 5) * 1e4, probs(3, 5))
case("ce_prob_float64", lambda x, p: F.cross_entropy(x, p, label_smoothing=0.3),
     f.randn(4, 5, dtype=torch.float64), probs(4, 5, dtype=torch.float64))

# ---- negative log-likelihood ----
for r in REDUCTIONS:
    case(f"nll_{r}", lambda x, t, r=r: F.nll_loss(x, t, reduction=r), torch.log_softmax(f.randn(7, 5), 1), labels(5, 7))
    case(f"nll_weight_ignore_{r}", lambda x, t, w, r=r: F.nll_loss(x, t, weight=w, reduction=r),
         torch.log_softmax(f.randn(7, 5), 1), ignored, w5, const=(2,))
case("nll_spatial", lambda x, t, w: F.nll_loss(x, t, weight=w, ignore_index=0), f.randn(2, 5, 4), labels(5, 2, 4), w5, const=(2,))
case("nll_unbatched", lambda x, t: F.nll_loss(x, t), f.randn(5), torch.tensor(1))
case("nll_float64", lambda x, t: F.nll_loss(x, t, reduction="sum"), f.randn(4, 5, dtype=torch.float64), labels(5, 4))

# ---- binary cross-entropy on probabilities ----
for r in REDUCTIONS:
    case(f"bce_{r}", lambda x, y, r=r: F.binary_cross_entropy(x, y, reduction=r), f.rand(3, 4, low=0.05, high=0.95), f.rand(3, 4))
    case(f"bce_weight_{r}", lambda x, y, w, r=r: F.binary_cross_entropy(x, y, weight=w, reduction=r),
         f.rand(3, 4, low=0.05, high=0.95), f.rand(3, 4), f.rand(4, low=0.5, high=2.0), const=(2,))
case("bce_saturated", lambda x, y: F.binary_cross_entropy(x, y, reduction="none"),
     torch.tensor([0.0, 0.0, 1.0, 1.0, 0.5, 1e-30]), torch.tensor([0.0, 1.0, 0.0, 1.0, 1.0, 1.0]), const=(1,))
case("bce_float64", lambda x, y: F.binary_cross_entropy(x, y, reduction="sum"),
     f.rand(2, 5, low=0.05, high=0.95, dtype=torch.float64), f.rand(2, 5, dtype=torch.float64))

# ---- binary cross-entropy on logits ----
pw4 = f.rand(4, low=0.5, high=3.0)
for r in REDUCTIONS:
    case(f"bcel_{r}", lambda x, y, r=r: F.binary_cross_entropy_with_logits(x, y, reduction=r), f.randn(3, 4) * 3, f.rand(3, 4))
    case(f"bcel_weight_pos_weight_{r}", lambda x, y, w, p, r=r: F.binary_cross_entropy_with_logits(x, y, weight=w, pos_weight=p, reduction=r),
         f.randn(3, 4) * 3, f.rand(3, 4), f.rand(3, 1, low=0.5, high=2.0), pw4, const=(2, 3))
    mask = f.rand(3, 4) > 0.4
    case(f"bcel_mask_{r}", lambda x, y, m, r=r: masked_mean_bcel(x, y, m, r), f.randn(3, 4) * 3, f.rand(3, 4), mask)
case("bcel_mask_broadcast_pos_weight", lambda x, y, m, p: masked_mean_bcel(x, y, m, "mean", pos_weight=p),
     f.randn(3, 4) * 3, f.rand(3, 4), torch.tensor([[True], [False], [True]]), pw4, const=(3,))
case("bcel_large_logits", lambda x, y: F.binary_cross_entropy_with_logits(x, y, reduction="none"),
     torch.tensor([30.0, -30.0, 100.0, -100.0, 1000.0, -1000.0, 1e4, -1e4]), f.rand(8))
case("bcel_zero_logits", lambda x, y: F.binary_cross_entropy_with_logits(x, y, reduction="sum"), torch.zeros(2, 3), f.rand(2, 3))
case("bcel_float64", lambda x, y, p: F.binary_cross_entropy_with_logits(x, y, pos_weight=p),
     f.randn(3, 4, dtype=torch.float64) * 3, f.rand(3, 4, dtype=torch.float64), pw4.double(), const=(2,))

# ---- KL divergence ----
for r in REDUCTIONS + ("batchmean",):
    case(f"kl_{r}", lambda x, t, r=r: F.kl_div(x, t, reduction=r), torch.log_softmax(f.randn(4, 5), 1), probs(4, 5))
case("kl_log_target", lambda x, t: F.kl_div(x, t, reduction="batchmean", log_target=True),
     torch.log_softmax(f.randn(4, 5), 1), torch.log_softmax(f.randn(4, 5), 1))
case("kl_zero_target", lambda x, t: F.kl_div(x, t, reduction="sum"),
     torch.log_softmax(f.randn(2, 3), 1), torch.tensor([[0.0, 0.3, 0.7], [0.5, 0.0, 0.5]]), const=(1,))
case("kl_float64", lambda x, t: F.kl_div(x, t, reduction="batchmean"),
     torch.log_softmax(f.randn(3, 4, dtype=torch.float64), 1), probs(3, 4, dtype=torch.float64))

# ---- hinge losses ----
pm1 = (f.rand(4, 5) > 0.5).float() * 2 - 1
for r in REDUCTIONS:
    case(f"hinge_embedding_{r}", lambda x, y, r=r: F.hinge_embedding_loss(x, y, reduction=r), f.randn(4, 5) * 2, pm1, const=(1,))
    case(f"multi_margin_{r}", lambda x, t, r=r: F.multi_margin_loss(x, t, reduction=r), f.randn(6, 4), labels(4, 6))
case("hinge_embedding_margin_int_target", lambda x, y: F.hinge_embedding_loss(x, y, margin=2.0),
     f.randn(6) * 2, torch.tensor([1, -1, 0, 1, -1, -1]))
case("multi_margin_p2_weight", lambda x, t, w: F.multi_margin_loss(x, t, p=2, margin=0.7, weight=w, reduction="sum"),
     f.randn(6, 4), labels(4, 6), f.rand(4, low=0.5, high=2.0), const=(2,))
case("multi_margin_float64", lambda x, t: F.multi_margin_loss(x, t, margin=1.5), f.randn(5, 3, dtype=torch.float64), labels(3, 5))
f.save()
