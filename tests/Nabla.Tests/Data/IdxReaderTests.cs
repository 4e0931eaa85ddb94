using System.IO.Compression;
using Nabla.Data;
using Nabla.Tests.Support;

namespace Nabla.Tests.Data;

public class IdxReaderTests
{
    static readonly byte[] ImageBytes = Enumerable.Range(0, 3 * 2 * 4).Select(i => (byte)(i * 11)).ToArray();

    static (string Images, string Labels) WriteTiny(TempFolder dir, bool gzip, byte[]? labels = null)
    {
        string images = dir.File("images.idx"), labelFile = dir.File("labels.idx");
        IdxFile.Write(images, [3, 2, 4], ImageBytes, gzip);
        labels ??= [2, 0, 1];
        IdxFile.Write(labelFile, [labels.Length], labels, gzip);
        return (images, labelFile);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void RoundTripsRawAndGzipFiles(bool gzip)
    {
        using var dir = new TempFolder();
        var (images, labels) = WriteTiny(dir, gzip);
        Assert.Equal(gzip, File.ReadAllBytes(images)[0] == 0x1F);
        var read = IdxFile.Read(images);
        Assert.Equal([3, 2, 4], read.Dimensions);
        Assert.Equal(ImageBytes, read.Data);
        // Header bytes as the format defines them: 0x00000803, then big-endian sizes.
        if (!gzip) Assert.Equal(new byte[] { 0, 0, 8, 3, 0, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0, 4 }, File.ReadAllBytes(images)[..16]);

        var ds = IdxFile.LoadImages(images, labels);
        Assert.Equal(3, ds.Count);
        Assert.Equal([3, 1, 2, 4], ds.Inputs.Shape);
        Assert.Equal(DType.Float32, ds.Inputs.DType);
        Assert.Equal(DType.Int64, ds.Targets.DType);
        var expected = ImageBytes.Select(b => b / 255f).ToArray();
        TensorAssert.Equal(Tensor.From(expected, 3, 1, 2, 4), ds.Inputs);
        Assert.Equal(new long[] { 2, 0, 1 }, ds.Targets.ToArray<long>());
        Assert.Equal(1, ds.Get(2).Label);
        Assert.Equal(253 / 255f, ds.Inputs.Select(0, 2).Select(0, 0).Select(0, 1).Select(0, 3).Item<float>());  // element 23: byte 23 * 11
    }

    [Fact]
    public void ABadMagicNumberIsRefusedNamingTheFile()
    {
        using var dir = new TempFolder();
        var path = dir.File("bad.idx");
        File.WriteAllBytes(path, [0x12, 0x34, 0x08, 0x01, 0, 0, 0, 0]);
        var ex = Assert.Throws<InvalidDataException>(() => IdxFile.Read(path));
        Assert.Equal($"idx: {path} does not start with an IDX magic number (got 0x12340801, expected 0x0000TTDD).", ex.Message);

        File.WriteAllBytes(path, [0, 0, 0x0D, 0x01, 0, 0, 0, 1, 0, 0, 0, 0]);
        ex = Assert.Throws<InvalidDataException>(() => IdxFile.Read(path));
        Assert.Equal($"idx: {path} holds elements of type 0x0D; only unsigned bytes (0x08) are supported.", ex.Message);

        File.WriteAllBytes(path, [0, 0]);
        ex = Assert.Throws<InvalidDataException>(() => IdxFile.Read(path));
        Assert.Contains("too short", ex.Message);
    }

    [Fact]
    public void TruncatedFilesAreRefusedNamingTheFile()
    {
        using var dir = new TempFolder();
        var (images, _) = WriteTiny(dir, gzip: false);
        var bytes = File.ReadAllBytes(images);
        File.WriteAllBytes(images, bytes[..^5]);
        var ex = Assert.Throws<InvalidDataException>(() => IdxFile.Read(images));
        Assert.Equal($"idx: {images} is truncated: dimensions [3, 2, 4] need 24 bytes of data, the file has 19.", ex.Message);

        File.WriteAllBytes(images, bytes[..10]);
        ex = Assert.Throws<InvalidDataException>(() => IdxFile.Read(images));
        Assert.Contains($"idx: {images} is truncated inside its header", ex.Message);

        File.WriteAllBytes(images, [.. bytes, 1, 2]);
        ex = Assert.Throws<InvalidDataException>(() => IdxFile.Read(images));
        Assert.Contains("has 2 bytes after the 24 bytes of data", ex.Message);
    }

    [Fact]
    public void ATruncatedGzipStreamIsRefusedNamingTheFile()
    {
        using var dir = new TempFolder();
        var path = dir.File("big.idx.gz");
        // Bytes from a multiplicative hash look incompressible, so cutting the file cuts the deflate stream.
        var data = Enumerable.Range(0, 5000).Select(i => (byte)(((uint)i * 2654435761u) >> 24)).ToArray();
        IdxFile.Write(path, [5000], data, gzip: true);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        var ex = Assert.Throws<InvalidDataException>(() => IdxFile.Read(path));
        Assert.Contains($"idx: {path} is", ex.Message);
        Assert.Contains("truncated", ex.Message);
    }

    [Fact]
    public void ImagesAndLabelsMustAgree()
    {
        using var dir = new TempFolder();
        var (images, labels) = WriteTiny(dir, gzip: true, labels: [1, 2]);
        var ex = Assert.Throws<InvalidDataException>(() => IdxFile.LoadImages(images, labels));
        Assert.Equal($"idx: images file {images} holds 3 images but labels file {labels} holds 2 labels.", ex.Message);

        ex = Assert.Throws<InvalidDataException>(() => IdxFile.LoadImages(labels, images));
        Assert.Contains($"images file {labels} has dimensions [2]; expected 3", ex.Message);

        (images, labels) = WriteTiny(dir, gzip: true, labels: [1, 12, 0]);
        ex = Assert.Throws<InvalidDataException>(() => IdxFile.LoadImages(images, labels, numClasses: 10));
        Assert.Equal($"idx: labels file {labels} has label 12 at index 1; expected 0 to 9.", ex.Message);
    }

    [Fact]
    public void AMissingFileIsAFileNotFoundException()
    {
        var ex = Assert.Throws<FileNotFoundException>(() => IdxFile.Read("/no/such/file.idx"));
        Assert.Equal("idx: file /no/such/file.idx does not exist.", ex.Message);
        Assert.Equal("/no/such/file.idx", ex.FileName);
    }

    [Fact]
    public void FashionMnistNamesTheMissingFileAndWhy()
    {
        var ex = Assert.Throws<FileNotFoundException>(() => FashionMnist.Load("/no/such/folder", train: false));
        Assert.Equal("fashion_mnist: cannot find /no/such/folder/t10k-images-idx3-ubyte.gz: the folder /no/such/folder does not exist.", ex.Message);

        using var dir = new TempFolder();
        ex = Assert.Throws<FileNotFoundException>(() => FashionMnist.Load(dir.Path));
        Assert.Contains($"has neither train-images-idx3-ubyte.gz nor train-images-idx3-ubyte", ex.Message);

        // Raw (not gzipped) files under the plain names are found too; labels must be 0..9 and images 28×28.
        IdxFile.Write(dir.File("train-images-idx3-ubyte"), [1, 28, 28], new byte[784], gzip: false);
        IdxFile.Write(dir.File("train-labels-idx1-ubyte"), [1], [9], gzip: false);
        Assert.Equal(9, FashionMnist.Load(dir.Path).Get(0).Label);
        IdxFile.Write(dir.File("train-images-idx3-ubyte.gz"), [1, 2, 2], new byte[4]);
        var bad = Assert.Throws<InvalidDataException>(() => FashionMnist.Load(dir.Path));
        Assert.Contains("holds images of 2×2 pixels", bad.Message);
    }

    [Theory]
    [InlineData(true, 3000, 300)]
    [InlineData(false, 1000, 100)]
    public void TheShippedSampleLoadsBalanced(bool train, int count, int perClass)
    {
        var ds = FashionMnist.Load(RepoPaths.InRepo("data", "fashion-mnist-sample"), train);
        Assert.Equal(count, ds.Count);
        Assert.Equal([count, 1, 28, 28], ds.Inputs.Shape);
        var labels = ds.Targets.ToArray<long>();
        Assert.Equal(Enumerable.Repeat(perClass, 10), labels.GroupBy(l => l).OrderBy(g => g.Key).Select(g => g.Count()));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), labels.Distinct().Order());
        var pixels = ds.Inputs.ToArray<float>();
        Assert.Equal(0f, pixels.Min());
        Assert.Equal(1f, pixels.Max());
        double mean = pixels.Average(p => (double)p);
        Assert.InRange(mean, 0.25, 0.32);   // Fashion-MNIST's pixel mean is about 0.286

        // It feeds the loader: a shuffled epoch of 64-image batches.
        var first = new DataLoader(ds, 64, shuffle: true, seed: 1).First();
        Assert.Equal([64, 1, 28, 28], first.Input.Shape);
    }

    [Fact]
    public void TheFullDatasetLoadsWhenInstalledOtherwiseTheErrorSaysHowToGetIt()
    {
        if (Directory.Exists(FashionMnist.DefaultFolder))
        {
            var test = FashionMnist.Load(train: false);
            Assert.Equal(10000, test.Count);
            Assert.All(test.Targets.ToArray<long>().GroupBy(l => l), g => Assert.Equal(1000, g.Count()));
        }
        else
        {
            var ex = Assert.Throws<FileNotFoundException>(() => FashionMnist.Load(train: false));
            Assert.Contains("apt-get install dataset-fashion-mnist", ex.Message);
        }
    }
}
