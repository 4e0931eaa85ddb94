using Nabla.Data;
using Nabla.Data.Vision;
using Nabla.Tests.Support;

namespace Nabla.Tests.Data;

/// <summary>
/// Vision transforms: the deterministic operations against torchvision (fixture: tools/golden/vision.py), the
/// random ones for reproducibility and their sampling rules, and bad input.
/// </summary>
public class VisionTransformTests
{
    const string Fixture = "vision";
    static readonly Generator Unused = new(0);

    static readonly Dictionary<string, Func<Tensor[], Tensor>> Ops = new()
    {
        ["resize_bilinear_up"] = x => ImageOps.Resize(x[0], 9, 13),
        ["resize_bilinear_down"] = x => ImageOps.Resize(x[0], 5, 7),
        ["resize_bilinear_mixed"] = x => ImageOps.Resize(x[0], 11, 4),
        ["resize_bilinear_batch"] = x => ImageOps.Resize(x[0], 4, 9),
        ["resize_bilinear_float64"] = x => ImageOps.Resize(x[0], 8, 3),
        ["resize_bilinear_same"] = x => ImageOps.Resize(x[0], 4, 5),
        ["resize_bilinear_shorter_edge"] = x => new Resize(6).Apply(x[0], Unused),
        ["interpolate_bilinear"] = x => new Resize(7, 3).Apply(x[0], Unused),
        ["resize_nearest_up"] = x => ImageOps.Resize(x[0], 9, 11, Interpolation.Nearest),
        ["resize_nearest_down"] = x => ImageOps.Resize(x[0], 5, 4, Interpolation.Nearest),
        ["resize_nearest_double"] = x => ImageOps.Resize(x[0], 6, 8, Interpolation.Nearest),
        ["resize_nearest_batch"] = x => new Resize(3, 7, Interpolation.Nearest).Apply(x[0], Unused),
        ["center_crop_odd"] = x => new CenterCrop(4).Apply(x[0], Unused),
        ["center_crop_even"] = x => ImageOps.CenterCrop(x[0], 5, 3),
        ["center_crop_batch"] = x => new CenterCrop(2, 3).Apply(x[0], Unused),
        ["crop"] = x => ImageOps.Crop(x[0], 1, 2, 3, 4),
        ["pad"] = x => ImageOps.Pad(x[0], 2),
        ["resized_crop"] = x => ImageOps.ResizedCrop(x[0], 1, 2, 5, 4, 7, 7),
        ["hflip"] = x => ImageOps.HorizontalFlip(x[0]),
        ["vflip"] = x => ImageOps.VerticalFlip(x[0]),
        ["hflip_batch"] = x => new RandomHorizontalFlip(p: 1).Apply(x[0], new Generator(1)),
        ["normalize"] = x => new Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]).Apply(x[0], Unused),
        ["normalize_batch"] = x => ImageOps.Normalize(x[0], [0.5, 0.25], [0.5, 2.0]),
        ["normalize_float64"] = x => ImageOps.Normalize(x[0], [0.1], [0.3]),
        ["rgb_to_grayscale"] = x => ImageOps.RgbToGrayscale(x[0]),
        ["adjust_brightness_up"] = x => ImageOps.AdjustBrightness(x[0], 1.3),
        ["adjust_brightness_down"] = x => ImageOps.AdjustBrightness(x[0], 0.4),
        ["adjust_brightness_gray"] = x => ImageOps.AdjustBrightness(x[0], 1.1),
        ["adjust_contrast_down"] = x => ImageOps.AdjustContrast(x[0], 0.6),
        ["adjust_contrast_up"] = x => ImageOps.AdjustContrast(x[0], 1.8),
        ["adjust_contrast_gray"] = x => ImageOps.AdjustContrast(x[0], 0.5),
        ["adjust_contrast_batch"] = x => ImageOps.AdjustContrast(x[0], 1.4),
        ["adjust_saturation_up"] = x => ImageOps.AdjustSaturation(x[0], 1.7),
        ["adjust_saturation_down"] = x => ImageOps.AdjustSaturation(x[0], 0.3),
        ["adjust_saturation_gray"] = x => ImageOps.AdjustSaturation(x[0], 2.0),
        ["adjust_hue_small"] = x => ImageOps.AdjustHue(x[0], 0.1),
        ["adjust_hue_negative"] = x => ImageOps.AdjustHue(x[0], -0.27),
        ["adjust_hue_half"] = x => ImageOps.AdjustHue(x[0], 0.5),
        ["adjust_hue_batch"] = x => ImageOps.AdjustHue(x[0], 0.33),
        ["adjust_hue_float64"] = x => ImageOps.AdjustHue(x[0], -0.05),
        ["adjust_hue_gray"] = x => ImageOps.AdjustHue(x[0], 0.2),
        ["to_tensor_rgb"] = x => ToTensorFromInt64(x[0]),
        ["to_tensor_gray"] = x => ToTensorFromInt64(x[0]),
    };

    static Tensor ToTensorFromInt64(Tensor hwc)
    {
        var bytes = hwc.ToArray<long>().Select(v => (byte)v).ToArray();
        return ImageOps.ToTensor(bytes, hwc.Size(0), hwc.Size(1), hwc.Size(2));
    }

    public static IEnumerable<object[]> Cases => GoldenFixture.Names(Fixture);

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesTorchvision(string name) => GoldenRunner.Check(GoldenFixture.Get(Fixture, name), Ops[name]);

    [Fact]
    public void EveryCaseHasATwin() => GoldenRunner.CheckCoverage(Fixture, Ops.Keys);

    static Tensor Image(int c, int h, int w, ulong seed = 1) => Tensor.Rand([c, h, w], generator: new Generator(seed));

    static Compose Augment() => new(
        new RandomResizedCrop(24, scale: (0.1, 1.0), ratio: (0.5, 2.0)),
        new RandomHorizontalFlip(),
        new RandomVerticalFlip(0.3),
        new ColorJitter(brightness: 0.4, contrast: 0.4, saturation: 0.4, hue: 0.1),
        new RandomCrop(20, padding: 2),
        new Normalize([0.5, 0.5, 0.5], [0.25, 0.25, 0.25]));

    [Fact]
    public void SameSeedGivesTheSameAugmentations()
    {
        var image = Image(3, 32, 40);
        var a = Augment().ToFunc(new Generator(42));
        var b = Augment().ToFunc(new Generator(42));
        var c = Augment().ToFunc(new Generator(43));
        bool differs = false;
        for (int i = 0; i < 5; i++)
        {
            var ya = a(image);
            TensorAssert.Equal(ya, b(image), $"draw {i}");
            Assert.Equal([3, 20, 20], ya.Shape);
            differs |= !TensorAssert.Flat(ya).SequenceEqual(TensorAssert.Flat(c(image)));
        }
        Assert.True(differs, "a different seed should give different augmentations");
    }

    [Fact]
    public void MapOverADatasetIsReproducibleThroughTheLoader()
    {
        var images = Tensor.Rand([6, 3, 16, 16], generator: new Generator(5));
        var ds = new TensorDataset(images, Tensor.Arange(6).Long());
        float[] Run()
        {
            var mapped = ds.Map(new Compose(new RandomCrop(12, padding: 1), new RandomHorizontalFlip()).OnInputs(new Generator(9)));
            var loader = new DataLoader(mapped, batchSize: 4, shuffle: true, seed: 3);
            var values = new List<float>();
            foreach (var batch in loader)
            {
                Assert.Equal(12, batch.Input.Size(-1));
                values.AddRange(batch.Input.ToArray<float>());
            }
            return values.ToArray();
        }
        Assert.Equal(Run(), Run());
    }

    [Fact]
    public void FlipProbabilityZeroNeverFlipsAndOneAlwaysFlips()
    {
        var image = Image(2, 3, 4);
        var rng = new Generator(3);
        for (int i = 0; i < 20; i++)
        {
            TensorAssert.Equal(image, new RandomHorizontalFlip(0).Apply(image, rng));
            TensorAssert.Equal(image, new RandomVerticalFlip(0).Apply(image, rng));
            TensorAssert.Equal(image.Flip(2), new RandomHorizontalFlip(1).Apply(image, rng));
            TensorAssert.Equal(image.Flip(1), new RandomVerticalFlip(1).Apply(image, rng));
        }
        int flipped = 0;
        var half = new RandomHorizontalFlip();
        for (int i = 0; i < 400; i++)
            if (!TensorAssert.Flat(half.Apply(image, rng)).SequenceEqual(TensorAssert.Flat(image))) flipped++;
        Assert.InRange(flipped, 150, 250);
    }

    [Theory]
    [InlineData(32, 32)]
    [InlineData(20, 50)]
    [InlineData(7, 3)]
    public void RandomResizedCropStaysWithinItsBounds(int height, int width)
    {
        var t = new RandomResizedCrop(10, 14, scale: (0.1, 1.0), ratio: (0.5, 2.0));
        var rng = new Generator(11);
        double area = height * width;
        for (int i = 0; i < 2000; i++)
        {
            var (top, left, h, w) = t.GetParams(height, width, rng);
            Assert.True(top >= 0 && left >= 0 && h >= 1 && w >= 1 && top + h <= height && left + w <= width,
                $"draw {i}: region {h}×{w} at ({top}, {left}) outside {height}×{width}");
            bool fallback = top == (height - h) / 2 && left == (width - w) / 2 && (h == height || w == width);
            if (fallback) continue;  // the central crop of the fallback path; its ratio is checked below
            // w and h are rounded from exact values with area in [0.1, 1]·area and ratio in [0.5, 2].
            Assert.True((w + 0.5) * (h + 0.5) >= 0.1 * area && (w - 0.5) * (h - 0.5) <= area, $"draw {i}: area {w * h} of {area}");
            Assert.True((w + 0.5) / (h - 0.5) >= 0.5 && (w - 0.5) / (h + 0.5) <= 2.0, $"draw {i}: ratio {w}/{h}");
        }
        var image = Image(3, height, width);
        for (int i = 0; i < 50; i++) Assert.Equal([3, 10, 14], t.Apply(image, rng).Shape);
    }

    [Fact]
    public void RandomResizedCropFallsBackToACentralCropWithTheRatioClamped()
    {
        // An image far wider than the ratio allows with a scale that cannot fit: every attempt fails.
        var t = new RandomResizedCrop(8, scale: (0.9, 1.0), ratio: (0.9, 1.1));
        Assert.Equal((0, 44, 10, 11), t.GetParams(10, 100, new Generator(1)));   // h = 10, w = round(10 · 1.1)
        Assert.Equal((44, 0, 11, 10), t.GetParams(100, 10, new Generator(1)));   // w = 10, h = round(10 / 0.9)
    }

    [Fact]
    public void RandomCropCoversEveryPositionOfThePaddedImage()
    {
        var image = Tensor.Ones(1, 4, 4);
        var crop = new RandomCrop(4, padding: 1);
        var rng = new Generator(2);
        var seen = new HashSet<(int, int)>();
        for (int i = 0; i < 300; i++) seen.Add(crop.GetParams(6, 6, rng));
        Assert.Equal(9, seen.Count);   // tops and lefts 0..2
        // A crop at (0, 0) of the padded image shows the zero border on the top and left.
        var corner = ImageOps.Crop(ImageOps.Pad(image, 1), 0, 0, 4, 4);
        Assert.Equal(0f, corner.ToArray<float>()[0]);
        Assert.Equal(1f, corner.ToArray<float>()[5]);
        var sum = crop.Apply(image, rng).Sum().Item();
        Assert.InRange(sum, 9, 16);
    }

    [Fact]
    public void ColorJitterDrawsAPermutationAndFactorsInRange()
    {
        var jitter = new ColorJitter(brightness: 0.5, contrast: 0.2, saturation: 0, hue: 0.1);
        Assert.Equal((0.5, 1.5), jitter.Brightness);
        Assert.Null(jitter.Saturation);
        var rng = new Generator(4);
        var orders = new HashSet<string>();
        for (int i = 0; i < 500; i++)
        {
            var p = jitter.GetParams(rng);
            Assert.Equal([0, 1, 2, 3], p.Order.Order());
            orders.Add(string.Join(",", p.Order));
            Assert.InRange(p.Brightness!.Value, 0.5, 1.5);
            Assert.InRange(p.Contrast!.Value, 0.8, 1.2);
            Assert.Null(p.Saturation);
            Assert.InRange(p.Hue!.Value, -0.1, 0.1);
        }
        Assert.Equal(24, orders.Count);
        // The transform applies exactly what GetParams drew, in that order.
        var image = Image(3, 5, 6);
        var y = jitter.Apply(image, new Generator(8));
        var q = jitter.GetParams(new Generator(8));
        var expected = image;
        foreach (int op in q.Order)
            expected = op switch
            {
                0 => ImageOps.AdjustBrightness(expected, q.Brightness!.Value),
                1 => ImageOps.AdjustContrast(expected, q.Contrast!.Value),
                3 => ImageOps.AdjustHue(expected, q.Hue!.Value),
                _ => expected,
            };
        TensorAssert.Equal(expected, y);
    }

    [Fact]
    public void ColorJitterOnGreyImagesSkipsSaturationAndHue()
    {
        var grey = Image(1, 4, 4);
        var y = new ColorJitter(saturation: 0.9, hue: 0.5).Apply(grey, new Generator(1));
        TensorAssert.Equal(grey, y);
        Assert.Equal([1, 4, 4], new ColorJitter(0.3, 0.3, 0.3, 0.3).Apply(grey, new Generator(1)).Shape);
    }

    [Fact]
    public void ColourOperationsHaveTheirIdentitiesAndExtremes()
    {
        var image = Image(3, 4, 5);
        TensorAssert.Close(image, ImageOps.AdjustBrightness(image, 1));
        TensorAssert.Close(image, ImageOps.AdjustContrast(image, 1));
        TensorAssert.Close(image, ImageOps.AdjustSaturation(image, 1));
        TensorAssert.Close(image, ImageOps.AdjustHue(image, 0), 1e-5, 1e-6);
        TensorAssert.Close(image, ImageOps.AdjustHue(ImageOps.AdjustHue(image, 0.3), -0.3), 1e-5, 1e-5);
        Assert.Equal(0.0, ImageOps.AdjustBrightness(image, 0).Abs().Sum().Item());
        var grey = ImageOps.AdjustSaturation(image, 0);
        TensorAssert.Close(grey.Select(0, 0), grey.Select(0, 2));
    }

    [Fact]
    public void ToTensorScalesBytesAndReordersToChannelsFirst()
    {
        byte[] hwc = [0, 255, 51, 102, 153, 204];   // 1×2 pixels, 3 channels
        var t = ImageOps.ToTensor(hwc, 1, 2, 3);
        Assert.Equal([3, 1, 2], t.Shape);
        Assert.Equal(new[] { 0f, 102 / 255f, 1f, 153 / 255f, 51 / 255f, 204 / 255f }, t.ToArray<float>());
    }

    [Fact]
    public void BadInputNamesTheTransform()
    {
        var rng = new Generator(1);
        var image = Image(3, 8, 8);

        var e = Assert.Throws<ArgumentException>(() => new RandomHorizontalFlip().Apply(Tensor.Rand(8, 8), rng));
        Assert.Equal("random_horizontal_flip: expects an image [C, H, W] or a batch [N, C, H, W], got shape [8, 8].", e.Message);
        e = Assert.Throws<ArgumentException>(() => ImageOps.Resize(Tensor.Zeros([1, 2, 3, 4, 5], DType.Float32), 2, 2));
        Assert.StartsWith("resize: expects an image [C, H, W] or a batch [N, C, H, W], got shape [1, 2, 3, 4, 5]", e.Message);
        e = Assert.Throws<ArgumentException>(() => new Resize(4, 4).Apply(Tensor.Zeros([3, 4, 4], DType.Int64), rng));
        Assert.StartsWith("resize: expects a float32 or float64 image with values in [0, 1], got int64 of shape [3, 4, 4]", e.Message);
        e = Assert.Throws<ArgumentException>(() => new Resize(0, 4));
        Assert.Equal("resize: the output size must be positive, got 0×4.", e.Message);

        e = Assert.Throws<ArgumentException>(() => new Normalize([0.5, 0.5], [0.2, 0.2]).Apply(image, rng));
        Assert.Equal("normalize: the image has 3 channels (shape [3, 8, 8]), but mean has 2 values and std 2; give one per channel.", e.Message);
        e = Assert.Throws<ArgumentException>(() => new Normalize([0.5], [0.0]));
        Assert.Contains("normalize: channel 0 has mean 0.5 and std 0", e.Message);

        e = Assert.Throws<ArgumentException>(() => new CenterCrop(9, 4).Apply(image, rng));
        Assert.Equal("center_crop: the crop 9×4 is larger than the image 8×8 (shape [3, 8, 8]).", e.Message);
        e = Assert.Throws<ArgumentException>(() => new RandomCrop(11, padding: 1).Apply(image, rng));
        Assert.Equal("random_crop: the crop 11×11 is larger than the image 10×10 (shape [3, 8, 8], padding 1).", e.Message);
        e = Assert.Throws<ArgumentException>(() => ImageOps.Crop(image, 2, 0, 7, 3));
        Assert.Equal("crop: the region 7×3 at (top 2, left 0) does not lie inside the image 8×8 (shape [3, 8, 8]).", e.Message);

        e = Assert.Throws<ArgumentException>(() => new ColorJitter(hue: 0.1).Apply(Image(4, 3, 3), rng));
        Assert.Equal("color_jitter: expects 1 (grey) or 3 (RGB) channels, got 4 in shape [4, 3, 3].", e.Message);
        e = Assert.Throws<ArgumentException>(() => new ColorJitter(hue: 0.6));
        Assert.Equal("color_jitter: hue must lie in [0, 0.5], got 0.6.", e.Message);
        e = Assert.Throws<ArgumentException>(() => new ColorJitter(brightness: -1));
        Assert.Equal("color_jitter: brightness must be a finite number ≥ 0, got -1.", e.Message);
        e = Assert.Throws<ArgumentException>(() => ImageOps.AdjustHue(image, 0.7));
        Assert.Equal("adjust_hue: the hue factor must lie in [-0.5, 0.5], got 0.7.", e.Message);
        e = Assert.Throws<ArgumentException>(() => ImageOps.AdjustContrast(Image(2, 3, 3), 1.2));
        Assert.Equal("adjust_contrast: expects 1 (grey) or 3 (RGB) channels, got 2 in shape [2, 3, 3].", e.Message);
        e = Assert.Throws<ArgumentException>(() => ImageOps.AdjustSaturation(image, -0.5));
        Assert.Equal("adjust_saturation: the saturation factor must be a finite number ≥ 0, got -0.5.", e.Message);

        e = Assert.Throws<ArgumentException>(() => new RandomResizedCrop(8, scale: (0.5, 0.2)));
        Assert.StartsWith("random_resized_crop: scale must be a range (min, max) with", e.Message);
        e = Assert.Throws<ArgumentException>(() => new RandomResizedCrop(8, ratio: (0.0, 2.0)));
        Assert.StartsWith("random_resized_crop: ratio must be a range (min, max) with", e.Message);
        e = Assert.Throws<ArgumentException>(() => new RandomVerticalFlip(1.5));
        Assert.Equal("random_vertical_flip: the probability p must lie in [0, 1], got 1.5.", e.Message);
        e = Assert.Throws<ArgumentException>(() => ImageOps.ToTensor(new byte[5], 2, 2, 1));
        Assert.Equal("to_tensor: 2×2×1 pixels need 4 bytes, got 5.", e.Message);
        e = Assert.Throws<ArgumentException>(() => ImageOps.Resize(Tensor.Zeros([3, 0, 4], DType.Float32), 2, 2));
        Assert.Equal("resize: the image is empty (shape [3, 0, 4]).", e.Message);
    }
}
