using System.Text.Json;
using Nabla.Tests.Support;
using Nabla.Vision;

namespace Nabla.Tests.Vision;

/// <summary>
/// The object-detection basics of the notes (13.3–13.4) against a PyTorch mirror (tools/golden/detection.py), including
/// the notes' own dog-and-cat examples, plus the cases worked by hand and the bad input.
/// </summary>
public class DetectionTests
{
    static readonly Dictionary<string, JsonElement> Cases = GoldenFixture.RawCases("detection");

    static Tensor T(string name, string field) => GoldenFixture.ReadTensor(Cases[name].GetProperty(field));

    static double D(string name, string field) => Cases[name].GetProperty(field).GetDouble();

    [Fact]
    public void ConversionsAndIouMatchTheReference()
    {
        var a = T("convert_and_iou", "a");
        TensorAssert.Close(T("convert_and_iou", "centers"), BoundingBoxes.CornerToCenter(a), 1e-12, 1e-12);
        TensorAssert.Close(a, BoundingBoxes.CenterToCorner(BoundingBoxes.CornerToCenter(a)), 1e-12, 1e-12);
        TensorAssert.Close(T("convert_and_iou", "iou"), BoundingBoxes.Iou(a, T("convert_and_iou", "b")), 1e-12, 1e-12);
    }

    [Fact]
    public void IouOfHandWorkedBoxes()
    {
        // Two unit squares overlapping by half: 0.5 / 1.5; disjoint boxes: 0; a box with itself: 1.
        var a = Tensor.From(new double[] { 0, 0, 1, 1, 5, 5, 6, 6 }, 2, 4);
        var b = Tensor.From(new double[] { 0.5, 0, 1.5, 1 }, 1, 4);
        Assert.Equal([1 / 3.0, 0.0], BoundingBoxes.Iou(a, b).ToArray<double>());
        Assert.Equal([1.0, 0.0, 0.0, 1.0], BoundingBoxes.Iou(a, a).ToArray<double>());
        Assert.Equal(DType.Float32, BoundingBoxes.Iou(a.To(DType.Float32), b.To(DType.Float32)).DType);
    }

    [Theory]
    [InlineData("anchors_2x3")]
    [InlineData("anchors_4x4")]
    [InlineData("anchors_3x5")]
    public void AnchorsMatchTheReference(string name)
    {
        var c = Cases[name];
        var sizes = c.GetProperty("sizes").EnumerateArray().Select(x => x.GetDouble()).ToArray();
        var ratios = c.GetProperty("ratios").EnumerateArray().Select(x => x.GetDouble()).ToArray();
        var anchors = AnchorBoxes.Generate(c.GetProperty("height").GetInt32(), c.GetProperty("width").GetInt32(), sizes, ratios);
        Assert.Equal(DType.Float32, anchors.DType);
        TensorAssert.Close(T(name, "anchors").To(DType.Float32), anchors);
    }

    [Fact]
    public void TheNotesExampleIsLabelledAsInTheNotes()
    {
        // 13.4.3: five anchors, a dog (class 0) and a cat (class 1); the notes print classes [0, 1, 2, 0, 2].
        var anchors = T("targets_notes", "anchors");
        var labels = T("targets_notes", "labels");
        Assert.Equal(T("targets_notes", "assigned").ToArray<long>(), AnchorBoxes.Assign(labels.Select(0, 0).Slice(1, 1, 5), anchors, 0.5).ToArray<long>());
        var targets = AnchorTargets.For(anchors, labels, D("targets_notes", "threshold"));
        Assert.Equal([0L, 1, 2, 0, 2], targets.Classes.ToArray<long>());
        TensorAssert.Close(T("targets_notes", "offsets"), targets.Offsets, 1e-9, 1e-9);
        TensorAssert.Equal(T("targets_notes", "mask"), targets.Mask);
    }

    [Fact]
    public void ABatchWithPaddedLabelsMatchesTheReference()
    {
        var targets = AnchorTargets.For(T("targets_batch", "anchors"), T("targets_batch", "labels"), D("targets_batch", "threshold"));
        Assert.Equal(T("targets_batch", "classes").ToArray<long>(), targets.Classes.ToArray<long>());
        TensorAssert.Close(T("targets_batch", "offsets"), targets.Offsets, 1e-9, 1e-9);
        TensorAssert.Equal(T("targets_batch", "mask"), targets.Mask);
        Assert.Contains(2L, targets.Classes.ToArray<long>());   // class 1 of the labels is read as 2 (0 is the background)
    }

    [Fact]
    public void OffsetsInvertAndMatchTheReference()
    {
        var anchors = T("offset_inverse", "anchors");
        var boxes = AnchorBoxes.ApplyOffsets(anchors, T("offset_inverse", "offsets"));
        TensorAssert.Close(T("offset_inverse", "boxes"), boxes, 1e-12, 1e-12);
        TensorAssert.Close(T("offset_inverse", "round_trip"), AnchorBoxes.Offsets(anchors, boxes), 1e-9, 1e-9);
    }

    [Fact]
    public void NmsKeepsTheReferenceBoxesInOrder()
    {
        var keep = NonMaxSuppression.Apply(T("nms", "boxes"), T("nms", "scores"), D("nms", "threshold"));
        Assert.Equal(T("nms", "keep").ToArray<long>(), keep.ToArray<long>());
        Assert.True(keep.Size(0) < 12);   // the crowded case does suppress
    }

    [Theory]
    [InlineData("detect_notes")]
    [InlineData("detect_batch")]
    public void DetectionsMatchTheReference(string name)
    {
        var detections = MultiboxDetection.Detect(T(name, "cls_probs"), T(name, "offsets"), T(name, "anchors"), D(name, "nms_threshold"), D(name, "pos_threshold"));
        TensorAssert.Close(T(name, "detections"), detections, 1e-9, 1e-9);
    }

    [Fact]
    public void TheNotesDetectionKeepsTheDogAndTheCat()
    {
        // 13.4.4: the dog at 0.9 and the cat at 0.9 are kept; the two other dog boxes are suppressed (class −1).
        var d = MultiboxDetection.Detect(T("detect_notes", "cls_probs"), T("detect_notes", "offsets"), T("detect_notes", "anchors"), 0.5);
        var rows = d.ToArray<double>();
        Assert.Equal([0.0, 1.0, -1.0, -1.0], Enumerable.Range(0, 4).Select(r => rows[r * 6]));
        Assert.Equal([0.9, 0.9, 0.8, 0.7], Enumerable.Range(0, 4).Select(r => Math.Round(rows[r * 6 + 1], 6)));
    }

    [Fact]
    public void BadInputIsRefusedNamingTheOpAndShape()
    {
        var box = Tensor.From(new float[] { 0, 0, 1, 1 }, 1, 4);
        Assert.Contains("box_iou: a must have shape [n, 4], got [4]", Assert.Throws<ArgumentException>(() => BoundingBoxes.Iou(Tensor.From(new float[] { 0, 0, 1, 1 }, 4), box)).Message);
        Assert.Contains("must be float32 or float64, got Int64", Assert.Throws<ArgumentException>(() => BoundingBoxes.Iou(Tensor.From(new long[] { 0, 0, 1, 1 }, 1, 4), box)).Message);
        Assert.Contains("holds NaN", Assert.Throws<ArgumentException>(() => BoundingBoxes.CornerToCenter(Tensor.From(new float[] { 0, float.NaN, 1, 1 }, 1, 4))).Message);
        Assert.Contains("at least 1×1, got 0×3", Assert.Throws<ArgumentException>(() => AnchorBoxes.Generate(0, 3, [0.5], [1])).Message);
        Assert.Contains("finite and positive", Assert.Throws<ArgumentException>(() => AnchorBoxes.Generate(2, 2, [0.5, -1], [1])).Message);
        Assert.Contains("at least one size and one ratio", Assert.Throws<ArgumentException>(() => AnchorBoxes.Generate(2, 2, [], [1])).Message);
        Assert.Contains("2 ground-truth boxes but only 1 anchors", Assert.Throws<ArgumentException>(() => AnchorBoxes.Assign(Tensor.Cat([box, box]), box)).Message);
        Assert.Contains("box offsets: 1 anchors but 2 boxes", Assert.Throws<ArgumentException>(() => AnchorBoxes.Offsets(box, Tensor.Cat([box, box]))).Message);
        Assert.Contains("apply offsets: 2 anchors but 1 offset rows", Assert.Throws<ArgumentException>(() => AnchorBoxes.ApplyOffsets(Tensor.Cat([box, box]), box)).Message);
        Assert.Contains("center_to_corner: boxes must have shape [n, 4], got [1, 3]",
            Assert.Throws<ArgumentException>(() => BoundingBoxes.CenterToCorner(Tensor.Zeros(1, 3))).Message);
        Assert.Contains("2 boxes but 1 scores", Assert.Throws<ArgumentException>(() => NonMaxSuppression.Apply(Tensor.Cat([box, box]), Tensor.From(new float[] { 1 }, 1), 0.5)).Message);
        Assert.Contains("anchor targets: labels must have shape", Assert.Throws<ArgumentException>(() => AnchorTargets.For(box, Tensor.Zeros(1, 5))).Message);
        Assert.Contains("class probabilities must be [batch, classes + 1 ≥ 2, 1]",
            Assert.Throws<ArgumentException>(() => MultiboxDetection.Detect(Tensor.Zeros(1, 3, 2), Tensor.Zeros(1, 4), box)).Message);
        // An image without objects labels every anchor background.
        var empty = AnchorTargets.For(box, Tensor.Full([1, 1, 5], -1.0));
        Assert.Equal([0L], empty.Classes.ToArray<long>());
        Assert.Equal([0f, 0f, 0f, 0f], empty.Mask.ToArray<float>());
    }
}
