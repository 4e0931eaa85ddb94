"""Golden trajectories for the optimizers, LR schedules and gradient clipping (tests/Nabla.Tests/Optim).

Every optimizer case trains the same small problem for 20 steps and records the parameters after each step:
    loss = sum((w * a - b)^2) + sum(exp(0.1 * v) * c)
w and v have odd sizes (35 and 12 elements) so the fused C# updates run full SIMD vectors and a tail; z is a
parameter outside the loss (no gradient: it must be skipped). Each case names its C# twin by its "name".
Schedule cases train with SGD for 30 steps and record every lr the schedule sets plus the final parameters.
"""
import math
import torch
from common import Fixture, encode

f = Fixture("optim", seed=7)
STEPS, SCHED_STEPS = 20, 30


def encode_compact(t):
    # float32 values are written with 9 significant digits (exact for float32), keeping the fixture small.
    e = encode(t)
    if e["dtype"] == "float32":
        e["data"] = [float("%.9g" % v) for v in e["data"]]
    return e


def problem(dtype):
    init = {"w": f.randn(5, 7, dtype=dtype), "v": f.randn(2, 3, 2, dtype=dtype), "z": f.randn(3, dtype=dtype)}
    consts = {"a": f.rand(5, 7, low=0.5, high=1.5, dtype=dtype), "b": f.randn(5, 7, dtype=dtype),
              "c": f.randn(2, 3, 2, dtype=dtype)}
    return init, consts


def loss_fn(P, K):
    d = P["w"] * K["a"] - K["b"]
    return (d * d).sum() + ((P["v"] * 0.1).exp() * K["c"]).sum()


def build(init, groups):
    P = {k: v.clone().requires_grad_(True) for k, v in init.items()}
    torch_groups = [dict(options, params=[P[n] for n in names]) for names, options in groups]
    return P, torch_groups


optimizers = []


def opt_case(name, make, groups=((("w", "v", "z"), {}),), dtype=torch.float32):
    init, consts = problem(dtype)
    P, torch_groups = build(init, groups)
    opt = make(torch_groups)
    trajectory = []
    for _ in range(STEPS):
        opt.zero_grad(set_to_none=True)
        loss_fn(P, consts).backward()
        opt.step()
        trajectory.append({k: encode_compact(v) for k, v in P.items()})
    optimizers.append({"name": name, "groups": [{"params": list(n), "options": o} for n, o in groups],
                       "init": {k: encode_compact(v) for k, v in init.items()},
                       "consts": {k: encode_compact(v) for k, v in consts.items()}, "trajectory": trajectory})


O = torch.optim
two_groups = ((("w",), {"lr": 0.002}), (("v", "z"), {"lr": 0.05, "momentum": 0.5}))
opt_case("sgd_plain", lambda g: O.SGD(g, lr=0.01))
opt_case("sgd_momentum", lambda g: O.SGD(g, lr=0.01, momentum=0.9))
opt_case("sgd_dampening_weight_decay", lambda g: O.SGD(g, lr=0.01, momentum=0.9, dampening=0.1, weight_decay=0.01))
opt_case("sgd_nesterov_weight_decay", lambda g: O.SGD(g, lr=0.01, momentum=0.9, nesterov=True, weight_decay=0.05))
opt_case("sgd_maximize", lambda g: O.SGD(g, lr=0.005, momentum=0.5, maximize=True))
opt_case("sgd_two_groups", lambda g: O.SGD(g, lr=0.01, momentum=0.9), groups=two_groups)
opt_case("sgd_momentum_float64", lambda g: O.SGD(g, lr=0.01, momentum=0.9, nesterov=True), dtype=torch.float64)
opt_case("adagrad_default", lambda g: O.Adagrad(g))
opt_case("adagrad_full", lambda g: O.Adagrad(g, lr=0.1, lr_decay=0.01, weight_decay=0.01, initial_accumulator_value=0.1, eps=1e-10))
opt_case("adagrad_maximize_float64", lambda g: O.Adagrad(g, lr=0.05, maximize=True), dtype=torch.float64)
opt_case("rmsprop_default", lambda g: O.RMSprop(g))
opt_case("rmsprop_momentum", lambda g: O.RMSprop(g, lr=0.005, momentum=0.9, alpha=0.9))
opt_case("rmsprop_centered_momentum_weight_decay", lambda g: O.RMSprop(g, lr=0.005, alpha=0.95, momentum=0.8, centered=True, weight_decay=0.01))
opt_case("rmsprop_centered_float64", lambda g: O.RMSprop(g, lr=0.01, centered=True), dtype=torch.float64)
opt_case("adadelta_default", lambda g: O.Adadelta(g))
opt_case("adadelta_full", lambda g: O.Adadelta(g, lr=0.5, rho=0.95, eps=1e-5, weight_decay=0.01, maximize=True))
opt_case("adadelta_float64", lambda g: O.Adadelta(g, lr=2.0, rho=0.8), dtype=torch.float64)
opt_case("adam_default", lambda g: O.Adam(g))
opt_case("adam_lr_weight_decay", lambda g: O.Adam(g, lr=0.05, weight_decay=0.01))
opt_case("adam_amsgrad_betas", lambda g: O.Adam(g, lr=0.05, betas=(0.8, 0.95), amsgrad=True))
opt_case("adam_maximize_eps", lambda g: O.Adam(g, lr=0.02, eps=1e-3, maximize=True))
opt_case("adam_two_groups", lambda g: O.Adam(g, lr=0.01), groups=((("w",), {"lr": 0.05}), (("v", "z"), {"weight_decay": 0.1})))
opt_case("adam_amsgrad_float64", lambda g: O.Adam(g, lr=0.05, amsgrad=True, weight_decay=0.01), dtype=torch.float64)
opt_case("adamw_default", lambda g: O.AdamW(g))
opt_case("adamw_amsgrad_weight_decay", lambda g: O.AdamW(g, lr=0.05, weight_decay=0.1, amsgrad=True))
opt_case("adamw_maximize", lambda g: O.AdamW(g, lr=0.02, betas=(0.5, 0.9), maximize=True))
opt_case("adamw_float64", lambda g: O.AdamW(g, lr=0.05, weight_decay=0.5), dtype=torch.float64)

schedules = []
S = O.lr_scheduler
PLATEAU_METRICS = [10, 9, 8.95, 8.94, 8.99, 8.5, 8.5, 8.49, 8.6, 8.7, 8.8, 7, 7.01, 7.02, 7.03, 7.04, 6.9, 6.95,
                   6.96, 6.97, 6.98, 6.99, 5, 5, 5, 5, 5, 5, 5, 5]


def sched_case(name, make, groups=((("w", "v", "z"), {}),), lr=0.02, momentum=0.9, metrics=None):
    init, consts = problem(torch.float32)
    P, torch_groups = build(init, groups)
    opt = O.SGD(torch_groups, lr=lr, momentum=momentum)
    sched = make(opt)
    lrs = [list(sched.get_last_lr()) if metrics is None else [g["lr"] for g in opt.param_groups]]
    for t in range(SCHED_STEPS):
        opt.zero_grad(set_to_none=True)
        loss_fn(P, consts).backward()
        opt.step()
        if metrics is None:
            sched.step()
        else:
            sched.step(metrics[t])
        lrs.append([g["lr"] for g in opt.param_groups])
    entry = {"name": name, "groups": [{"params": list(n), "options": o} for n, o in groups],
             "init": {k: encode_compact(v) for k, v in init.items()},
             "consts": {k: encode_compact(v) for k, v in consts.items()},
             "lrs": lrs, "final": {k: encode_compact(v) for k, v in P.items()}}
    if metrics is not None:
        entry["metrics"] = metrics
    schedules.append(entry)


sched_groups = ((("w",), {"lr": 0.01}), (("v", "z"), {}))
sched_case("step_lr", lambda o: S.StepLR(o, step_size=3, gamma=0.5))
sched_case("step_lr_two_groups", lambda o: S.StepLR(o, step_size=4), groups=sched_groups)
sched_case("multi_step_lr", lambda o: S.MultiStepLR(o, milestones=[9, 2, 5, 5], gamma=0.3), groups=sched_groups)
sched_case("exponential_lr", lambda o: S.ExponentialLR(o, gamma=0.9), groups=sched_groups)
sched_case("cosine_annealing_lr", lambda o: S.CosineAnnealingLR(o, T_max=7, eta_min=0.001), groups=sched_groups)
sched_case("cosine_annealing_lr_default", lambda o: S.CosineAnnealingLR(o, T_max=10))
sched_case("linear_lr_warmup", lambda o: S.LinearLR(o, start_factor=0.25, total_iters=6), groups=sched_groups)
sched_case("linear_lr_default", lambda o: S.LinearLR(o))
sched_case("linear_lr_decay", lambda o: S.LinearLR(o, start_factor=1.0, end_factor=0.1, total_iters=10))
sched_case("plateau_min", lambda o: S.ReduceLROnPlateau(o, factor=0.5, patience=2, threshold=1e-2, cooldown=1, min_lr=0.004),
           groups=sched_groups, metrics=PLATEAU_METRICS)
sched_case("plateau_max_abs", lambda o: S.ReduceLROnPlateau(o, mode="max", factor=0.3, patience=1, threshold=0.05,
                                                            threshold_mode="abs", min_lr=[0.001, 0.0005]),
           groups=sched_groups, metrics=[-m for m in PLATEAU_METRICS])
sched_case("plateau_cooldown", lambda o: S.ReduceLROnPlateau(o, factor=0.5, patience=1, cooldown=2, eps=1e-4),
           metrics=[5.0] * 14 + [4.0] + [5.0] * 15)
sched_case("plateau_default", lambda o: S.ReduceLROnPlateau(o), metrics=PLATEAU_METRICS[:12] + [9] * 18)

clipping = []


def clip_case(name, fn, dtype=torch.float32, noncontiguous=False):
    grads = [f.randn(4, 5, dtype=dtype) * 3, f.randn(7, dtype=dtype), f.randn(2, 3, dtype=dtype) * 0.1]
    if noncontiguous:
        grads[0] = grads[0].t()
    params = [torch.zeros(g.shape, dtype=dtype, requires_grad=True) for g in grads]
    for p, g in zip(params, grads):
        p.grad = g.clone()
    total = fn(params)
    clipping.append({"name": name, "grads": [encode_compact(g) for g in grads],
                     "clipped": [encode_compact(p.grad) for p in params],
                     "total_norm": None if total is None else float(total)})


U = torch.nn.utils
clip_case("norm_l2", lambda ps: U.clip_grad_norm_(ps, 2.0))
clip_case("norm_l2_no_clip", lambda ps: U.clip_grad_norm_(ps, 1000.0))
clip_case("norm_l1", lambda ps: U.clip_grad_norm_(ps, 5.0, norm_type=1))
clip_case("norm_l3_float64", lambda ps: U.clip_grad_norm_(ps, 1.5, norm_type=3), dtype=torch.float64)
clip_case("norm_inf", lambda ps: U.clip_grad_norm_(ps, 0.5, norm_type=math.inf))
clip_case("norm_l2_noncontiguous", lambda ps: U.clip_grad_norm_(ps, 2.0), noncontiguous=True)
clip_case("value", lambda ps: U.clip_grad_value_(ps, 0.7))
clip_case("value_float64_noncontiguous", lambda ps: U.clip_grad_value_(ps, 0.3), dtype=torch.float64, noncontiguous=True)

import json, os
from common import OUT
os.makedirs(OUT, exist_ok=True)
path = os.path.join(OUT, "optim.json")
with open(path, "w") as fh:
    json.dump({"generator": "tools/golden/optim.py", "torch": torch.__version__, "steps": STEPS,
               "optimizers": optimizers, "schedules": schedules, "clipping": clipping}, fh)
print(f"{path}: {len(optimizers)} optimizer cases, {len(schedules)} schedule cases, {len(clipping)} clipping cases")
