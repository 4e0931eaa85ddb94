namespace Nabla.Vision;

/// <summary>
/// Anchor boxes (the notes' 13.4): generating them over a feature map, labelling them with the ground-truth boxes of
/// a training image, and the offsets a detector predicts from them. Boxes are corners scaled to [0, 1].
/// </summary>
public static class AnchorBoxes
{
    /// <summary>
    /// [height · width · (n + m − 1), 4]: for every pixel of a height × width map, centred on it, a box for each of the
    /// n <paramref name="sizes"/> with the first ratio, then for each other of the m <paramref name="ratios"/> with the
    /// first size (the notes' multibox_prior; size s and ratio r give width s·√r·height/width and height s/√r, so a
    /// ratio of 1 is square on the image). Rows run pixel by pixel, row-major, and box by box within a pixel.
    /// </summary>
    public static Tensor Generate(int height, int width, IReadOnlyList<double> sizes, IReadOnlyList<double> ratios)
    {
        ArgumentNullException.ThrowIfNull(sizes);
        ArgumentNullException.ThrowIfNull(ratios);
        if (height < 1 || width < 1) throw new ArgumentException($"anchor boxes: the feature map must be at least 1×1, got {height}×{width}.");
        if (sizes.Count == 0 || ratios.Count == 0) throw new ArgumentException($"anchor boxes: give at least one size and one ratio, got {sizes.Count} and {ratios.Count}.");
        if (sizes.Concat(ratios).Any(v => !(v > 0 && double.IsFinite(v))))
            throw new ArgumentException($"anchor boxes: sizes and ratios must be finite and positive, got sizes [{string.Join(", ", sizes)}], ratios [{string.Join(", ", ratios)}].");
        var widths = sizes.Select(s => s * Math.Sqrt(ratios[0])).Concat(ratios.Skip(1).Select(r => sizes[0] * Math.Sqrt(r))).Select(w => w * height / width).ToArray();
        var heights = sizes.Select(s => s / Math.Sqrt(ratios[0])).Concat(ratios.Skip(1).Select(r => sizes[0] / Math.Sqrt(r))).ToArray();
        int perPixel = widths.Length;
        var boxes = new double[(long)height * width * perPixel * 4];
        int k = 0;
        for (int i = 0; i < height; i++)
            for (int j = 0; j < width; j++)
            {
                double cy = (i + 0.5) / height, cx = (j + 0.5) / width;
                for (int b = 0; b < perPixel; b++)
                {
                    boxes[k++] = cx - widths[b] / 2;
                    boxes[k++] = cy - heights[b] / 2;
                    boxes[k++] = cx + widths[b] / 2;
                    boxes[k++] = cy + heights[b] / 2;
                }
            }
        return BoxTensors.Write(boxes, DType.Float32, height * width * perPixel, 4);
    }

    /// <summary>
    /// For each anchor, the index of the ground-truth box it is assigned to, or −1 (the notes' assign_anchor_to_bbox):
    /// first, as many times as there are ground-truth boxes, the largest IoU left in the matrix assigns its anchor to
    /// its box and removes both; every other anchor goes to its best box when that IoU reaches <paramref name="threshold"/>.
    /// </summary>
    public static Tensor Assign(Tensor groundTruth, Tensor anchors, double threshold = 0.5)
    {
        var truth = BoxTensors.Read(groundTruth, "assign anchors", nameof(groundTruth), 2, 4);
        var anc = BoxTensors.Read(anchors, "assign anchors", nameof(anchors), 2, 4);
        var assigned = Assign(truth, anc, threshold);
        return Tensor.From(assigned.Select(a => (long)a).ToArray(), assigned.Length);
    }

    internal static int[] Assign(double[] truth, double[] anchors, double threshold)
    {
        int boxes = truth.Length / 4, n = anchors.Length / 4;
        if (boxes > n) throw new ArgumentException($"assign anchors: {boxes} ground-truth boxes but only {n} anchors; each box needs an anchor of its own.");
        var iou = BoundingBoxes.Iou(anchors, truth);   // [anchors, boxes]
        var result = new int[n];
        for (int a = 0; a < n; a++)
        {
            int best = -1;
            for (int t = 0; t < boxes; t++)
                if (best < 0 || iou[a * boxes + t] > iou[a * boxes + best]) best = t;
            result[a] = best >= 0 && iou[a * boxes + best] >= threshold ? best : -1;
        }
        var work = (double[])iou.Clone();
        for (int round = 0; round < boxes; round++)
        {
            int arg = 0;   // the first maximum in row-major order, as torch.argmax returns it
            for (int e = 1; e < work.Length; e++)
                if (work[e] > work[arg]) arg = e;
            int anchor = arg / boxes, box = arg % boxes;
            result[anchor] = box;
            for (int a = 0; a < n; a++) work[a * boxes + box] = -1;
            for (int t = 0; t < boxes; t++) work[anchor * boxes + t] = -1;
        }
        return result;
    }

    /// <summary>
    /// The offsets a detector learns for <paramref name="boxes"/> relative to <paramref name="anchors"/> (both [n, 4]
    /// corners; the notes' offset_boxes): 10·(Δcenter / anchor size) and 5·log(ε + size / anchor size), ε = 1e-6.
    /// </summary>
    public static Tensor Offsets(Tensor anchors, Tensor boxes) => RowByRow(anchors, boxes, "box offsets", "boxes", Offsets);

    internal static double[] Offsets(double[] anchors, double[] boxes)
    {
        var result = new double[anchors.Length];
        for (int i = 0; i < anchors.Length; i += 4)
        {
            var (acx, acy, aw, ah) = Center(anchors, i);
            var (bcx, bcy, bw, bh) = Center(boxes, i);
            result[i] = 10 * (bcx - acx) / aw;
            result[i + 1] = 10 * (bcy - acy) / ah;
            result[i + 2] = 5 * Math.Log(1e-6 + bw / aw);
            result[i + 3] = 5 * Math.Log(1e-6 + bh / ah);
        }
        return result;
    }

    /// <summary>The boxes (corners) that <paramref name="offsets"/> predict from <paramref name="anchors"/>: the inverse of <see cref="Offsets(Tensor, Tensor)"/> (the notes' offset_inverse, without its ε).</summary>
    public static Tensor ApplyOffsets(Tensor anchors, Tensor offsets) => RowByRow(anchors, offsets, "apply offsets", "offset rows", ApplyOffsets);

    /// <summary>Checks two [n, 4] tensors with one row per anchor and maps them row by row, in the anchors' dtype.</summary>
    static Tensor RowByRow(Tensor anchors, Tensor rows, string op, string what, Func<double[], double[], double[]> map)
    {
        var anc = BoxTensors.Read(anchors, op, nameof(anchors), 2, 4);
        var other = BoxTensors.Read(rows, op, what, 2, 4);
        if (anc.Length != other.Length)
            throw new ArgumentException($"{op}: {anc.Length / 4} anchors but {other.Length / 4} {what}; give one per anchor.");
        return BoxTensors.Write(map(anc, other), anchors.DType, anc.Length / 4, 4);
    }

    internal static double[] ApplyOffsets(double[] anchors, double[] offsets)
    {
        var result = new double[anchors.Length];
        for (int i = 0; i < anchors.Length; i += 4)
        {
            var (acx, acy, aw, ah) = Center(anchors, i);
            double cx = offsets[i] * aw / 10 + acx, cy = offsets[i + 1] * ah / 10 + acy;
            double w = Math.Exp(offsets[i + 2] / 5) * aw, h = Math.Exp(offsets[i + 3] / 5) * ah;
            (result[i], result[i + 1], result[i + 2], result[i + 3]) = (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2);
        }
        return result;
    }

    static (double Cx, double Cy, double W, double H) Center(double[] boxes, int i) =>
        ((boxes[i] + boxes[i + 2]) / 2, (boxes[i + 1] + boxes[i + 3]) / 2, boxes[i + 2] - boxes[i], boxes[i + 3] - boxes[i + 1]);
}
