using Nabla.IO;
using Nabla.Tests.Support;

namespace Nabla.Tests.IO;

public class SafetensorsRoundTripTests
{
    /// <summary>Every dtype, 0-d, empty and multi-dimensional tensors, with values that test exactness.</summary>
    static OrderedDictionary<string, Tensor> AllKinds() => new()
    {
        ["f32"] = Tensor.From(new[] { 1.5f, -0f, float.Epsilon, float.MaxValue, float.NegativeInfinity, float.NaN }, 2, 3),
        ["f64"] = Tensor.From(new[] { Math.PI, -1e-300, double.MinValue, 0.1 }, 4),
        ["i64"] = Tensor.From(new[] { long.MinValue, -1, 0, long.MaxValue }, 2, 2),
        ["bool"] = Tensor.From(new[] { true, false, false, true, true }, 5),
        ["scalar_f32"] = Tensor.Scalar(2.25f),
        ["scalar_i64"] = Tensor.Scalar(-7, DType.Int64),
        ["scalar_bool"] = Tensor.Scalar(1, DType.Bool),
        ["scalar_f64"] = Tensor.Scalar(1.0 / 3.0, DType.Float64),
        ["empty_f32"] = Tensor.Zeros(0),
        ["empty_2d_i64"] = Tensor.Zeros([3, 0], DType.Int64),
        ["empty_bool"] = Tensor.Zeros([0, 2], DType.Bool),
        ["big"] = Tensor.From(Enumerable.Range(0, 40_000).Select(i => (double)i * 0.5).ToArray(), 200, 200),
    };

    static void AssertSame(IReadOnlyDictionary<string, Tensor> expected, OrderedDictionary<string, Tensor> actual)
    {
        Assert.Equal(expected.Keys, actual.Keys); // same names in the order written
        foreach (var (name, t) in expected)
        {
            Assert.Equal(t.DType, actual[name].DType);
            Assert.Equal(t.Shape, actual[name].Shape);
            Assert.Equal(BitsOf(t), BitsOf(actual[name])); // bit-exact, NaN and -0 included
        }
    }

    static long[] BitsOf(Tensor t) => t.DType switch
    {
        DType.Float32 => t.Contiguous().ToArray<float>().Select(v => (long)BitConverter.SingleToInt32Bits(v)).ToArray(),
        DType.Float64 => t.Contiguous().ToArray<double>().Select(BitConverter.DoubleToInt64Bits).ToArray(),
        DType.Int64 => t.Contiguous().ToArray<long>(),
        _ => t.Contiguous().ToArray<bool>().Select(b => b ? 1L : 0L).ToArray(),
    };

    [Fact]
    public void EveryDTypeShapeAndValueRoundTripsThroughAFile()
    {
        using var tmp = new TempFolder();
        var tensors = AllKinds();
        Safetensors.Save(tmp.File("all.safetensors"), tensors);
        AssertSame(tensors, Safetensors.Load(tmp.File("all.safetensors"), out var metadata));
        Assert.Empty(metadata);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void BulkAndPortableEndianPathsWriteAndReadTheSameBytes(bool bulkWrite)
    {
        // The portable path (BinaryPrimitives, what a big-endian host runs) must agree byte for byte with the bulk copy.
        var tensors = AllKinds();
        var bulk = new MemoryStream();
        var portable = new MemoryStream();
        Safetensors.Save(bulk, tensors, null, bulk: ElementCodec.HostIsLittleEndian);
        Safetensors.Save(portable, tensors, null, bulk: false);
        Assert.Equal(bulk.ToArray(), portable.ToArray());

        var image = bulkWrite ? bulk : portable;
        image.Position = 0;
        AssertSame(tensors, Safetensors.Load(image, out _, "image", bulk: false));
        image.Position = 0;
        AssertSame(tensors, Safetensors.Load(image, out _, "image", bulk: ElementCodec.HostIsLittleEndian));
    }

    [Fact]
    public void ElementsAreStoredLittleEndian()
    {
        var stream = new MemoryStream();
        Safetensors.Save(stream, new Dictionary<string, Tensor>
        {
            ["f"] = Tensor.From(new[] { 1f }, 1),
            ["d"] = Tensor.From(new[] { -2.0 }, 1),
            ["l"] = Tensor.From(new[] { 0x0102030405060708L }, 1),
            ["b"] = Tensor.From(new[] { true, false }, 2),
        }, null, bulk: false);
        var parsed = MinimalSafetensorsParser.Parse(stream.ToArray());
        Assert.Equal(new byte[] { 0x00, 0x00, 0x80, 0x3F }, parsed.Data[..4]);
        Assert.Equal(new byte[] { 0, 0, 0, 0, 0, 0, 0x00, 0xC0 }, parsed.Data[4..12]);
        Assert.Equal(new byte[] { 8, 7, 6, 5, 4, 3, 2, 1 }, parsed.Data[12..20]);
        Assert.Equal(new byte[] { 1, 0 }, parsed.Data[20..22]);
    }

    [Fact]
    public void NonContiguousViewsAreWrittenContiguous()
    {
        var baseTensor = Tensor.From(Enumerable.Range(0, 24).Select(i => (float)i).ToArray(), 2, 3, 4);
        var tensors = new Dictionary<string, Tensor>
        {
            ["transposed"] = baseTensor.Transpose(0, 2),
            ["sliced"] = baseTensor.Slice(2, 1, 4, 2),
            ["selected"] = baseTensor.Select(1, 2),
            ["expanded"] = Tensor.From(new[] { 1L, 2L, 3L }, 3, 1).Expand(3, 4),
        };
        Assert.All(tensors.Values.Take(2), t => Assert.False(t.IsContiguous));
        var stream = new MemoryStream();
        Safetensors.Save(stream, tensors);
        stream.Position = 0;
        var loaded = Safetensors.Load(stream);
        foreach (var (name, t) in tensors)
        {
            Assert.True(loaded[name].IsContiguous);
            Assert.Equal(t.Shape, loaded[name].Shape);
            TensorAssert.Equal(t, loaded[name], name);
        }
        // The bytes are the row-major elements of the view, not of its storage.
        var parsed = MinimalSafetensorsParser.Parse(stream.ToArray());
        Assert.Equal(baseTensor.Transpose(0, 2).Contiguous().ToArray<float>().Select(v => (double)v),
            MinimalSafetensorsParser.Values(parsed, parsed.Entries[0]));
    }

    [Fact]
    public void MetadataRoundTripsIncludingUnicodeAndEmptyValues()
    {
        using var tmp = new TempFolder();
        var metadata = new Dictionary<string, string> { ["format"] = "pt", ["epoch"] = "12", ["note"] = "naïve \"quoted\" ∇ \n line", ["empty"] = "" };
        Safetensors.Save(tmp.File("m.safetensors"), new Dictionary<string, Tensor> { ["x"] = Tensor.Ones(2) }, metadata);
        Safetensors.Load(tmp.File("m.safetensors"), out var loaded);
        Assert.Equal(metadata.OrderBy(kv => kv.Key), loaded.OrderBy(kv => kv.Key));

        var parsed = MinimalSafetensorsParser.Parse(File.ReadAllBytes(tmp.File("m.safetensors")));
        Assert.Equal(metadata.OrderBy(kv => kv.Key), parsed.Metadata.OrderBy(kv => kv.Key));
        Assert.StartsWith("{\"__metadata__\":", parsed.HeaderText); // first, as the reference writer puts it
    }

    [Fact]
    public void HeaderIsPaddedWithSpacesToAMultipleOfEight()
    {
        for (int len = 1; len <= 9; len++)
        {
            var stream = new MemoryStream();
            Safetensors.Save(stream, new Dictionary<string, Tensor> { [new string('a', len)] = Tensor.Zeros(1) });
            var parsed = MinimalSafetensorsParser.Parse(stream.ToArray());
            Assert.Equal(0, parsed.HeaderLength % 8);
            Assert.Equal(new string('a', len), parsed.Entries.Single().Name);
        }
    }

    [Fact]
    public void AnEmptyDictionaryMakesAValidFile()
    {
        var stream = new MemoryStream();
        Safetensors.Save(stream, new Dictionary<string, Tensor>());
        Assert.Equal("{}      ", MinimalSafetensorsParser.Parse(stream.ToArray()).HeaderText);
        stream.Position = 0;
        Assert.Empty(Safetensors.Load(stream));
    }

    [Fact]
    public void LoadedTensorsAreFreshLeavesNotTrackedByAutograd()
    {
        var p = Tensor.From(new[] { 1f, 2f }, 2).RequiresGrad_();
        var stream = new MemoryStream();
        Safetensors.Save(stream, new Dictionary<string, Tensor> { ["p"] = p });
        stream.Position = 0;
        var loaded = Safetensors.Load(stream)["p"];
        Assert.False(loaded.RequiresGrad);
        Assert.NotSame(p.Storage, loaded.Storage);
    }

    [Fact]
    public void StreamsThatCannotSeekAreReadToo()
    {
        var stream = new MemoryStream();
        var tensors = AllKinds();
        Safetensors.Save(stream, tensors);
        AssertSame(tensors, Safetensors.Load(new ForwardOnlyStream(stream.ToArray())));
    }

    [Fact]
    public void LoadingFromAStreamStartsAtItsPositionAndReadsToItsEnd()
    {
        var stream = new MemoryStream();
        stream.Write("prefix"u8);
        Safetensors.Save(stream, new Dictionary<string, Tensor> { ["x"] = Tensor.From(new[] { 3L }, 1) });
        stream.Position = 6;
        Assert.Equal(3L, Safetensors.Load(stream)["x"].Item<long>());
    }

    [Fact]
    public void ReservedOrNullEntriesAreRejectedBeforeWriting()
    {
        var stream = new MemoryStream();
        var e = Assert.Throws<ArgumentException>(() => Safetensors.Save(stream, new Dictionary<string, Tensor> { ["__metadata__"] = Tensor.Zeros(1) }));
        Assert.Contains("'__metadata__' is reserved", e.Message);
        e = Assert.Throws<ArgumentException>(() => Safetensors.Save(stream, new Dictionary<string, Tensor> { ["w"] = null! }));
        Assert.Contains("the tensor 'w' is null", e.Message);
        e = Assert.Throws<ArgumentException>(() => Safetensors.Save(stream, new Dictionary<string, Tensor> { ["w"] = Tensor.Zeros(1) },
            new Dictionary<string, string> { ["k"] = null! }));
        Assert.Contains("metadata value for 'k' is null", e.Message);
        Assert.Equal(0, stream.Length);
    }

    [Fact]
    public void AMissingFileIsAFileNotFoundExceptionNamingIt()
    {
        using var tmp = new TempFolder();
        var e = Assert.Throws<FileNotFoundException>(() => Safetensors.Load(tmp.File("nope.safetensors")));
        Assert.Contains("nope.safetensors", e.Message);
    }

    /// <summary>A read-only stream without Length or Seek, like a network stream.</summary>
    sealed class ForwardOnlyStream(byte[] bytes) : Stream
    {
        readonly MemoryStream _inner = new(bytes);
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, Math.Min(count, 7));
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
