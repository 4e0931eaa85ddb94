namespace Nabla.Vision;

/// <summary>Turns a detector's class probabilities and offsets per anchor into detections (the notes' multibox_detection, 13.4.4).</summary>
public static class MultiboxDetection
{
    /// <summary>
    /// [batch, anchors, 6] rows of (class, confidence, x_min, y_min, x_max, y_max). For each anchor the most likely
    /// non-background class and its probability; its box from the offsets; non-maximum suppression over all of an
    /// image's boxes. Rows come kept boxes first (most confident first), then the suppressed ones in anchor order with
    /// class −1; a kept box below <paramref name="positiveThreshold"/> also gets class −1 and confidence 1 − p.
    /// </summary>
    /// <param name="classProbabilities">[batch, classes + 1, anchors], class 0 the background.</param>
    /// <param name="offsets">[batch, anchors · 4].</param>
    /// <param name="anchors">[anchors, 4] corners.</param>
    public static Tensor Detect(Tensor classProbabilities, Tensor offsets, Tensor anchors, double nmsThreshold = 0.5, double positiveThreshold = 0.009999999)
    {
        var probs = BoxTensors.Read(classProbabilities, "multibox detection", nameof(classProbabilities), 3);
        var off = BoxTensors.Read(offsets, "multibox detection", nameof(offsets), 2);
        var anc = BoxTensors.Read(anchors, "multibox detection", nameof(anchors), 2, 4);
        int batch = classProbabilities.Size(0), classes = classProbabilities.Size(1), n = anc.Length / 4;
        if (classes < 2 || classProbabilities.Size(2) != n || offsets.Size(0) != batch || offsets.Size(1) != n * 4)
            throw new ArgumentException($"multibox detection: with {n} anchors, class probabilities must be [batch, classes + 1 ≥ 2, {n}] and offsets " +
                $"[batch, {n * 4}]; got [{string.Join(", ", classProbabilities.Shape)}] and [{string.Join(", ", offsets.Shape)}].");
        var result = new double[batch * n * 6];
        for (int b = 0; b < batch; b++)
        {
            var confidence = new double[n];
            var classId = new int[n];
            for (int a = 0; a < n; a++)
            {
                classId[a] = 0;
                confidence[a] = probs[(b * classes + 1) * n + a];
                for (int c = 2; c < classes; c++)
                {
                    double p = probs[(b * classes + c) * n + a];
                    if (p > confidence[a]) (confidence[a], classId[a]) = (p, c - 1);
                }
            }
            var predicted = AnchorBoxes.ApplyOffsets(anc, off.AsSpan(b * n * 4, n * 4).ToArray());
            var keep = NonMaxSuppression.Apply(predicted, confidence, nmsThreshold);
            var kept = new HashSet<int>(keep);
            var order = keep.Concat(Enumerable.Range(0, n).Where(a => !kept.Contains(a)));
            int row = b * n;
            foreach (int a in order)
            {
                double id = kept.Contains(a) ? classId[a] : -1, conf = confidence[a];
                if (conf < positiveThreshold) (id, conf) = (-1, 1 - conf);
                var r = result.AsSpan(row++ * 6, 6);
                (r[0], r[1]) = (id, conf);
                predicted.AsSpan(a * 4, 4).CopyTo(r[2..]);
            }
        }
        return BoxTensors.Write(result, classProbabilities.DType, batch, n, 6);
    }
}
