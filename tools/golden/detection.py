"""Golden fixture for the object-detection basics of the notes (13.3-13.4): bounding boxes, anchor boxes,
labelling anchors with ground truth, offsets, non-maximum suppression and multibox detection.

Written from the notes' formulas in plain PyTorch; writes tests/Nabla.Tests/Golden/detection.json.
Run with /usr/bin/python3 tools/golden/detection.py (PyTorch 1.13).
"""
import json
import math

import torch

from common import encode, save_cases

torch.set_default_dtype(torch.float64)


def corner_to_center(boxes):
    x1, y1, x2, y2 = boxes[:, 0], boxes[:, 1], boxes[:, 2], boxes[:, 3]
    return torch.stack(((x1 + x2) / 2, (y1 + y2) / 2, x2 - x1, y2 - y1), dim=-1)


def center_to_corner(boxes):
    cx, cy, w, h = boxes[:, 0], boxes[:, 1], boxes[:, 2], boxes[:, 3]
    return torch.stack((cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2), dim=-1)


def iou(a, b):
    area = lambda t: (t[:, 2] - t[:, 0]) * (t[:, 3] - t[:, 1])
    lo = torch.max(a[:, None, :2], b[None, :, :2])
    hi = torch.min(a[:, None, 2:], b[None, :, 2:])
    inter = (hi - lo).clamp(min=0).prod(dim=2)
    return inter / (area(a)[:, None] + area(b)[None, :] - inter)


def anchors(height, width, sizes, ratios):
    """Per pixel: (s_i, r_1) for every size, then (s_1, r_j) for every other ratio; corners scaled to [0, 1]."""
    ws = [s * math.sqrt(ratios[0]) for s in sizes] + [sizes[0] * math.sqrt(r) for r in ratios[1:]]
    hs = [s / math.sqrt(ratios[0]) for s in sizes] + [sizes[0] / math.sqrt(r) for r in ratios[1:]]
    out = []
    for i in range(height):
        for j in range(width):
            cy, cx = (i + 0.5) / height, (j + 0.5) / width
            for w, h in zip(ws, hs):
                w = w * height / width   # square boxes stay square on a non-square image
                out.append([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2])
    return torch.tensor(out)


def assign(truth, anc, threshold):
    """The notes' assign_anchor_to_bbox: the largest IoU of the matrix first, one per ground-truth box, then any anchor
    whose best IoU reaches the threshold."""
    jac = iou(anc, truth)
    n = anc.shape[0]
    result = torch.full((n,), -1, dtype=torch.long)
    best, idx = jac.max(dim=1)
    keep = best >= threshold
    result[keep] = idx[keep]
    work = jac.clone()
    for _ in range(truth.shape[0]):
        flat = int(torch.argmax(work))
        a, t = flat // truth.shape[0], flat % truth.shape[0]
        result[a] = t
        work[:, t] = -1
        work[a, :] = -1
    return result


def offsets(anc, assigned, eps=1e-6):
    ca, cb = corner_to_center(anc), corner_to_center(assigned)
    xy = 10 * (cb[:, :2] - ca[:, :2]) / ca[:, 2:]
    wh = 5 * torch.log(eps + cb[:, 2:] / ca[:, 2:])
    return torch.cat((xy, wh), dim=1)


def offset_inverse(anc, off):
    ca = corner_to_center(anc)
    xy = off[:, :2] * ca[:, 2:] / 10 + ca[:, :2]
    wh = torch.exp(off[:, 2:] / 5) * ca[:, 2:]
    return center_to_corner(torch.cat((xy, wh), dim=1))


def targets(anc, labels, threshold):
    """labels: (batch, objects, 5) rows of class, xmin, ymin, xmax, ymax; class < 0 pads. Returns offsets, mask, classes."""
    offs, masks, classes = [], [], []
    for b in range(labels.shape[0]):
        lab = labels[b][labels[b][:, 0] >= 0]
        result = assign(lab[:, 1:], anc, threshold)
        mask = (result >= 0).double().unsqueeze(-1).repeat(1, 4)
        cls = torch.zeros(anc.shape[0], dtype=torch.long)
        boxes = torch.zeros(anc.shape[0], 4)
        pos = torch.nonzero(result >= 0).reshape(-1)
        cls[pos] = lab[result[pos], 0].long() + 1
        boxes[pos] = lab[result[pos], 1:]
        offs.append((offsets(anc, boxes) * mask).reshape(-1))
        masks.append(mask.reshape(-1))
        classes.append(cls)
    return torch.stack(offs), torch.stack(masks), torch.stack(classes)


def nms(boxes, scores, threshold):
    order = torch.argsort(scores, descending=True, stable=True)
    keep = []
    while order.numel() > 0:
        i = int(order[0])
        keep.append(i)
        if order.numel() == 1:
            break
        o = iou(boxes[i:i + 1], boxes[order[1:]]).reshape(-1)
        order = order[1:][o <= threshold]
    return torch.tensor(keep, dtype=torch.long)


def detect(cls_probs, off, anc, nms_threshold, pos_threshold):
    """cls_probs (batch, classes + 1, anchors), off (batch, anchors * 4). Rows: class (-1 = none), confidence, corners;
    kept boxes first (by confidence), then the suppressed ones in anchor order."""
    out = []
    for b in range(cls_probs.shape[0]):
        probs, o = cls_probs[b], off[b].reshape(-1, 4)
        conf, cid = torch.max(probs[1:], dim=0)
        pred = offset_inverse(anc, o)
        keep = nms(pred, conf, nms_threshold)
        everything = torch.arange(anc.shape[0])
        combined = torch.cat((keep, everything))
        uniques, counts = combined.unique(return_counts=True)
        rest = uniques[counts == 1]
        order = torch.cat((keep, rest))
        cid = cid.clone()
        cid[rest] = -1
        cid, conf, pred = cid[order], conf[order], pred[order]
        below = conf < pos_threshold
        cid[below] = -1
        conf = conf.clone()
        conf[below] = 1 - conf[below]
        out.append(torch.cat((cid.unsqueeze(1).double(), conf.unsqueeze(1), pred), dim=1))
    return torch.stack(out)


def main():
    gen = torch.Generator().manual_seed(13)
    cases = []

    def rand_boxes(n):
        lo = torch.rand(n, 2, generator=gen) * 0.6
        return torch.cat((lo, lo + 0.1 + torch.rand(n, 2, generator=gen) * 0.4), dim=1)

    a, b = rand_boxes(5), rand_boxes(4)
    cases.append({"name": "convert_and_iou", "a": encode(a), "b": encode(b), "centers": encode(corner_to_center(a)),
                  "iou": encode(iou(a, b))})

    for h, w, sizes, ratios in [(2, 3, [0.75, 0.5, 0.25], [1, 2, 0.5]), (4, 4, [0.15], [1, 2, 0.5]), (3, 5, [0.4, 0.2], [1])]:
        cases.append({"name": f"anchors_{h}x{w}", "height": h, "width": w, "sizes": sizes, "ratios": ratios,
                      "anchors": encode(anchors(h, w, sizes, ratios))})

    # The notes' dog-and-cat example (13.4.3) and a random batch with padded labels.
    truth = torch.tensor([[0, 0.1, 0.08, 0.52, 0.92], [1, 0.55, 0.2, 0.9, 0.88]])
    anc = torch.tensor([[0, 0.1, 0.2, 0.3], [0.15, 0.2, 0.4, 0.4], [0.63, 0.05, 0.88, 0.98],
                        [0.66, 0.45, 0.8, 0.8], [0.57, 0.3, 0.92, 0.9]])
    o, m, c = targets(anc, truth.unsqueeze(0), 0.5)
    cases.append({"name": "targets_notes", "anchors": encode(anc), "labels": encode(truth.unsqueeze(0)), "threshold": 0.5,
                  "assigned": encode(assign(truth[:, 1:], anc, 0.5)), "offsets": encode(o), "mask": encode(m), "classes": encode(c)})
    anc2 = anchors(4, 4, [0.3, 0.15], [1, 2, 0.5])
    labels = torch.full((2, 3, 5), -1.0)
    for bi, n in ((0, 3), (1, 2)):
        boxes = rand_boxes(n)
        labels[bi, :n, 0] = torch.randint(0, 3, (n,), generator=gen).double()
        labels[bi, :n, 1:] = boxes
    o, m, c = targets(anc2, labels, 0.4)
    cases.append({"name": "targets_batch", "anchors": encode(anc2), "labels": encode(labels), "threshold": 0.4,
                  "offsets": encode(o), "mask": encode(m), "classes": encode(c)})

    off = torch.randn(anc2.shape[0], 4, generator=gen) * 0.5
    cases.append({"name": "offset_inverse", "anchors": encode(anc2), "offsets": encode(off), "boxes": encode(offset_inverse(anc2, off)),
                  "round_trip": encode(offsets(anc2, offset_inverse(anc2, off)))})

    lo = torch.rand(12, 2, generator=gen) * 0.3   # crowded: most boxes overlap a higher-scoring one
    boxes = torch.cat((lo, lo + 0.3 + torch.rand(12, 2, generator=gen) * 0.2), dim=1)
    scores = torch.rand(12, generator=gen)
    cases.append({"name": "nms", "boxes": encode(boxes), "scores": encode(scores), "threshold": 0.3, "keep": encode(nms(boxes, scores, 0.3))})

    # The notes' detection example (13.4.4): four anchors, a dog and a cat.
    anc3 = torch.tensor([[0.1, 0.08, 0.52, 0.92], [0.08, 0.2, 0.56, 0.95], [0.15, 0.3, 0.62, 0.91], [0.55, 0.2, 0.9, 0.88]])
    probs = torch.tensor([[0] * 4, [0.9, 0.8, 0.7, 0.1], [0.1, 0.2, 0.3, 0.9]]).unsqueeze(0)
    offs = torch.zeros(1, 16)
    cases.append({"name": "detect_notes", "cls_probs": encode(probs), "offsets": encode(offs), "anchors": encode(anc3),
                  "nms_threshold": 0.5, "pos_threshold": 0.009999999, "detections": encode(detect(probs, offs, anc3, 0.5, 0.009999999))})
    logits = torch.randn(2, 4, anc2.shape[0], generator=gen) * 2
    probs = torch.softmax(logits, dim=1)
    offs = torch.randn(2, anc2.shape[0] * 4, generator=gen) * 0.3
    cases.append({"name": "detect_batch", "cls_probs": encode(probs), "offsets": encode(offs), "anchors": encode(anc2),
                  "nms_threshold": 0.4, "pos_threshold": 0.3, "detections": encode(detect(probs, offs, anc2, 0.4, 0.3))})

    save_cases("detection", cases)


if __name__ == "__main__":
    main()
