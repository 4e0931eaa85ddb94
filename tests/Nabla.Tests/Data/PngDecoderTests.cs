using System.Text.Json;
using Nabla.Data;
using Nabla.Tests.Support;

namespace Nabla.Tests.Data;

public class PngDecoderTests
{
    static readonly Lazy<JsonElement[]> Cases = new(() =>
    {
        var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", "png.json")));
        return doc.RootElement.GetProperty("cases").EnumerateArray().ToArray();
    });

    static JsonElement Case(string name) => Cases.Value.Single(c => c.GetProperty("name").GetString() == name);

    public static IEnumerable<object[]> Good() =>
        Cases.Value.Where(c => !c.TryGetProperty("error", out _)).Select(c => new object[] { c.GetProperty("name").GetString()! });

    public static IEnumerable<object[]> Bad() =>
        Cases.Value.Where(c => c.TryGetProperty("error", out _)).Select(c => new object[] { c.GetProperty("name").GetString()! });

    static byte[] Bytes(JsonElement c) => Convert.FromBase64String(c.GetProperty("png").GetString()!);

    [Fact]
    public void TheFixtureCoversEveryKindOfImage()
    {
        Assert.Equal(10, Good().Count());
        Assert.Equal(8, Bad().Count());
    }

    [Theory]
    [MemberData(nameof(Good))]
    public void DecodesGoldenImagesExactly(string name)
    {
        var c = Case(name);
        var image = PngDecoder.Decode(Bytes(c), name);
        Assert.Equal(c.GetProperty("width").GetInt32(), image.Width);
        Assert.Equal(c.GetProperty("height").GetInt32(), image.Height);
        Assert.Equal(c.GetProperty("channels").GetInt32(), image.Channels);
        Assert.Equal(c.GetProperty("pixels").EnumerateArray().Select(p => (byte)p.GetInt32()).ToArray(), image.Pixels);
    }

    [Theory]
    [MemberData(nameof(Bad))]
    public void RefusesBadFilesWithAClearMessage(string name)
    {
        var c = Case(name);
        var ex = Assert.Throws<InvalidDataException>(() => PngDecoder.Decode(Bytes(c), name + ".png"));
        Assert.StartsWith($"png: cannot decode {name}.png: ", ex.Message);
        Assert.Contains(c.GetProperty("error").GetString()!, ex.Message);
    }

    [Fact]
    public void GreyConversionMatchesPillow()
    {
        var c = Case("pil_rgb8");
        var image = PngDecoder.Decode(Bytes(c));
        var luma = c.GetProperty("luma").EnumerateArray().Select(p => p.GetInt32() / 255f).ToArray();
        TensorAssert.Equal(Tensor.From(luma, 1, image.Height, image.Width), image.ToTensor(channels: 1));
    }

    [Fact]
    public void ToTensorIsChannelsFirstInZeroToOne()
    {
        var image = new PngImage(2, 1, 3, [10, 20, 30, 255, 0, 51]);
        TensorAssert.Equal(Tensor.From(new[] { 10 / 255f, 1, 20 / 255f, 0, 30 / 255f, 51 / 255f }, 3, 1, 2), image.ToTensor());
        var grey = new PngImage(2, 1, 1, [0, 255]);
        TensorAssert.Equal(Tensor.From(new float[] { 0, 1, 0, 1, 0, 1 }, 3, 1, 2), grey.ToTensor(channels: 3));
        TensorAssert.Equal(Tensor.From(new float[] { 0, 1, 1, 1 }, 2, 1, 2), new PngImage(2, 1, 2, [0, 255, 255, 255]).ToTensor());
        var rgba = grey.ToTensor(channels: 4);
        TensorAssert.Equal(Tensor.From(new float[] { 1, 1 }, 1, 2), rgba.Select(0, 3));
        var ex = Assert.Throws<ArgumentException>(() => grey.ToTensor(channels: 2));
        Assert.Contains("png: can convert to 1 (grey), 3 (RGB) or 4 (RGBA) channels", ex.Message);
    }

    [Fact]
    public void Crc32MatchesTheStandardCheckValue()
    {
        Assert.Equal(0xCBF43926u, Crc32.Compute("123456789"u8));
    }

    [Fact]
    public void TheTestEncoderRoundTrips()
    {
        var pixels = Enumerable.Range(0, 5 * 3 * 4).Select(i => (byte)(i * 7)).ToArray();
        var image = PngDecoder.Decode(TestPng.Encode(5, 3, 4, pixels));
        Assert.Equal((5, 3, 4), (image.Width, image.Height, image.Channels));
        Assert.Equal(pixels, image.Pixels);
    }

    [Fact]
    public void AMissingFileIsAFileNotFoundException()
    {
        var ex = Assert.Throws<FileNotFoundException>(() => PngDecoder.Load("/no/such/image.png"));
        Assert.Equal("png: file /no/such/image.png does not exist.", ex.Message);
    }
}

public class ImageFolderTests
{
    static void Write(string dir, string name, byte value, int channels = 1, int size = 3)
    {
        Directory.CreateDirectory(dir);
        TestPng.Write(Path.Combine(dir, name), size, size, channels, Enumerable.Repeat(value, size * size * channels).ToArray());
    }

    [Fact]
    public void ClassesAreSubfoldersInOrdinalOrder()
    {
        using var root = new TempFolder();
        Write(Path.Combine(root.Path, "dog"), "b.png", 20);
        Write(Path.Combine(root.Path, "dog"), "a.PNG", 10);
        Write(Path.Combine(root.Path, "cat"), "x.png", 255);
        File.WriteAllText(Path.Combine(root.Path, "cat", "notes.txt"), "not an image");
        var ds = new ImageFolder(root.Path);
        Assert.Equal(["cat", "dog"], ds.Classes);
        Assert.Equal(3, ds.Count);
        Assert.Equal([0, 1, 1], ds.Samples.Select(s => s.Label));
        Assert.EndsWith(Path.Combine("dog", "a.PNG"), ds.Samples[1].Path);
        var e = ds.Get(1);
        Assert.Equal(1, e.Label);
        TensorAssert.Equal(Tensor.Full([1, 3, 3], 10 / 255f), e.Input);

        var batch = new DataLoader(ds, 3).Single();
        Assert.Equal([3, 1, 3, 3], batch.Input.Shape);
        Assert.Equal(new long[] { 0, 1, 1 }, batch.Target.ToArray<long>());
    }

    [Fact]
    public void ChannelsConvertMixedImagesSoTheyStack()
    {
        using var root = new TempFolder();
        Write(Path.Combine(root.Path, "a"), "grey.png", 100, channels: 1);
        Write(Path.Combine(root.Path, "b"), "rgba.png", 200, channels: 4);
        var ex = Assert.Throws<ArgumentException>(() => new DataLoader(new ImageFolder(root.Path), 2, prefetch: 0).Single());
        Assert.StartsWith("collate: example 1 has input float32 of shape [4, 3, 3]", ex.Message);
        var batch = new DataLoader(new ImageFolder(root.Path, channels: 3), 2).Single();
        Assert.Equal([2, 3, 3, 3], batch.Input.Shape);
        TensorAssert.Equal(Tensor.Full([3, 3, 3], 200 / 255f), batch.Input.Select(0, 1));
    }

    [Fact]
    public void BadFoldersAndFilesGiveClearErrors()
    {
        using var root = new TempFolder();
        var ex = Assert.Throws<InvalidDataException>(() => new ImageFolder(root.Path));
        Assert.Contains("has no sub-folders; expected one folder of PNG images per class", ex.Message);
        Directory.CreateDirectory(Path.Combine(root.Path, "empty"));
        ex = Assert.Throws<InvalidDataException>(() => new ImageFolder(root.Path));
        Assert.Contains("no .png files under the class folders", ex.Message);

        var broken = Path.Combine(root.Path, "empty", "broken.png");
        File.WriteAllBytes(broken, [1, 2, 3]);
        var ds = new ImageFolder(root.Path);
        ex = Assert.Throws<InvalidDataException>(() => ds.Get(0));
        Assert.Equal($"png: cannot decode {broken}: it does not start with the PNG signature.", ex.Message);

        Assert.Throws<DirectoryNotFoundException>(() => new ImageFolder(Path.Combine(root.Path, "missing")));
        Assert.Throws<ArgumentException>(() => new ImageFolder(root.Path, channels: 2));
    }
}
