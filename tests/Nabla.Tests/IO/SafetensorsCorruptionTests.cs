using System.Buffers.Binary;
using System.Text;
using Nabla.IO;

namespace Nabla.Tests.IO;

/// <summary>Every way a file can be wrong gives an InvalidDataException naming the file and the problem: never a crash or OOM.</summary>
public class SafetensorsCorruptionTests
{
    /// <summary>A file image with the given header text (length field computed unless given) and data bytes.</summary>
    static byte[] Image(string header, byte[]? data = null, ulong? lengthField = null)
    {
        var json = Encoding.UTF8.GetBytes(header);
        var bytes = new byte[8 + json.Length + (data?.Length ?? 0)];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, lengthField ?? (ulong)json.Length);
        json.CopyTo(bytes, 8);
        data?.CopyTo(bytes, 8 + json.Length);
        return bytes;
    }

    /// <summary>Loads <paramref name="bytes"/> from a file and returns the message, which must name the file.</summary>
    static string LoadFails(byte[] bytes)
    {
        using var tmp = new TempFolder();
        string path = tmp.File("broken.safetensors");
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<InvalidDataException>(() => Safetensors.Load(path));
        Assert.Contains($"'{path}'", e.Message);
        Assert.Contains("is not a valid safetensors file", e.Message);
        return e.Message;
    }

    static string Entry(string name, string dtype, string shape, long begin, long end) =>
        $"\"{name}\":{{\"dtype\":\"{dtype}\",\"shape\":{shape},\"data_offsets\":[{begin},{end}]}}";

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(7)]
    public void FileShorterThanEightBytes(int length) =>
        Assert.Contains($"it is {length} bytes long, shorter than the 8-byte header length", LoadFails(new byte[length]));

    [Fact]
    public void HeaderLengthLargerThanTheFile() =>
        Assert.Contains("the header length field says 1000 bytes but only 2 bytes follow it", LoadFails(Image("{}", lengthField: 1000)));

    [Theory]
    [InlineData(100_000_001UL)]
    [InlineData(1UL << 40)]
    [InlineData(ulong.MaxValue)]
    public void HeaderLengthBeyondTheCapIsRejectedWithoutAllocating(ulong claimed) =>
        Assert.Contains($"the header length field says {claimed} bytes, more than the 100000000-byte limit", LoadFails(Image("{}", lengthField: claimed)));

    [Theory]
    [InlineData("{not json")]
    [InlineData("")]
    [InlineData("{\"a\":{\"dtype\":\"F32\"}")]
    public void InvalidJson(string header) => Assert.Contains("header is not valid JSON", LoadFails(Image(header)));

    [Fact]
    public void InvalidUtf8InTheHeader()
    {
        var bytes = Image("{\"x\":1}");
        bytes[8 + 2] = 0xFF; // inside the name
        Assert.Contains("header is not valid UTF-8 text", LoadFails(bytes));
    }

    [Theory]
    [InlineData("[1, 2]", "the header is a JSON array, not an object of tensors")]
    [InlineData("{\"w\": 3}", "the entry of tensor 'w' is a JSON number")]
    [InlineData("{\"w\": {\"shape\": [1], \"data_offsets\": [0, 4]}}", "the entry of tensor 'w' has no 'dtype'")]
    [InlineData("{\"w\": {\"dtype\": \"F32\", \"data_offsets\": [0, 4]}}", "the entry of tensor 'w' has no 'shape'")]
    [InlineData("{\"w\": {\"dtype\": \"F32\", \"shape\": [1]}}", "the entry of tensor 'w' has no 'data_offsets'")]
    [InlineData("{\"w\": {\"dtype\": 32, \"shape\": [1], \"data_offsets\": [0, 4]}}", "the 'dtype' of tensor 'w' is a JSON number, expected a string")]
    [InlineData("{\"w\": {\"dtype\": \"F32\", \"shape\": 1, \"data_offsets\": [0, 4]}}", "the 'shape' of tensor 'w' is a JSON number, expected an array")]
    [InlineData("{\"w\": {\"dtype\": \"F32\", \"shape\": [-1], \"data_offsets\": [0, 4]}}", "tensor 'w' has shape [-1], whose dimension 0 is not a non-negative integer")]
    [InlineData("{\"w\": {\"dtype\": \"F32\", \"shape\": [2, 1.5], \"data_offsets\": [0, 4]}}", "whose dimension 1 is not a non-negative integer")]
    [InlineData("{\"w\": {\"dtype\": \"F32\", \"shape\": [\"1\"], \"data_offsets\": [0, 4]}}", "whose dimension 0 is not a non-negative integer")]
    [InlineData("{\"w\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4, 8]}}", "tensor 'w' has data_offsets [0, 4, 8]; expected two non-negative integers")]
    [InlineData("{\"w\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [-4, 0]}}", "expected two non-negative integers")]
    [InlineData("{\"w\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 99999999999999999999]}}", "expected two non-negative integers")]
    [InlineData("{\"w\": {\"dtype\": \"F32\", \"shape\": [0], \"data_offsets\": [4, 0]}}", "tensor 'w' has data_offsets [4, 0], which end before they begin")]
    [InlineData("{\"__metadata__\": [1]}", "'__metadata__' is a JSON array, not an object of strings")]
    [InlineData("{\"__metadata__\": {\"epoch\": 3}}", "metadata entry 'epoch' is a JSON number; metadata values must be strings")]
    public void MalformedHeaderEntries(string header, string expected) => Assert.Contains(expected, LoadFails(Image(header, new byte[4])));

    [Fact]
    public void UnknownDType() =>
        Assert.Contains("tensor 'h' has dtype 'F16', which Nabla does not read (supported: F32, F64, I64, BOOL)",
            LoadFails(Image("{" + Entry("h", "F16", "[2]", 0, 4) + "}", new byte[4])));

    [Fact]
    public void ShapeAndOffsetsDisagree() =>
        Assert.Contains("tensor 'w' of shape [2, 2] and dtype F32 needs 16 bytes, but its data_offsets [0, 12] span 12",
            LoadFails(Image("{" + Entry("w", "F32", "[2,2]", 0, 12) + "}", new byte[12])));

    [Fact]
    public void OverlappingOffsets() =>
        Assert.Contains("tensor 'b' at bytes [4, 12) overlaps tensor 'a' at [0, 8)",
            LoadFails(Image("{" + Entry("a", "F32", "[2]", 0, 8) + "," + Entry("b", "F32", "[2]", 4, 12) + "}", new byte[12])));

    [Fact]
    public void OffsetsOutsideTheBuffer() =>
        Assert.Contains("tensor 'a' needs bytes [0, 8) of the data buffer, which has only 4 bytes",
            LoadFails(Image("{" + Entry("a", "F32", "[2]", 0, 8) + "}", new byte[4])));

    [Fact]
    public void AGapBetweenTensors() =>
        Assert.Contains("bytes [8, 12) of the data buffer belong to no tensor (the next one is 'b')",
            LoadFails(Image("{" + Entry("a", "F32", "[2]", 0, 8) + "," + Entry("b", "F32", "[2]", 12, 20) + "}", new byte[20])));

    [Fact]
    public void TrailingBytesAfterTheLastTensor() =>
        Assert.Contains("the data buffer has 11 bytes but its tensors cover only 8",
            LoadFails(Image("{" + Entry("a", "F32", "[2]", 0, 8) + "}", new byte[11])));

    [Fact]
    public void DuplicateNamesAndDuplicateMetadata()
    {
        Assert.Contains("the header names 'a' twice",
            LoadFails(Image("{" + Entry("a", "F32", "[1]", 0, 4) + "," + Entry("a", "F32", "[1]", 4, 8) + "}", new byte[8])));
        Assert.Contains("metadata names 'k' twice", LoadFails(Image("{\"__metadata__\":{\"k\":\"1\",\"k\":\"2\"}}")));
    }

    [Fact]
    public void AHugeClaimedTensorIsRejectedBeforeAllocation()
    {
        // 4 GB claimed by a 48-byte file: the claim is checked against the file size before any tensor is allocated.
        Assert.Contains("tensor 'w' needs bytes [0, 4000000000) of the data buffer, which has only 8 bytes",
            LoadFails(Image("{" + Entry("w", "F32", "[1000000000]", 0, 4_000_000_000) + "}", new byte[8])));
        Assert.Contains("more than the 2147483647 elements a Nabla tensor can hold",
            LoadFails(Image("{" + Entry("w", "BOOL", "[100000,100000,100000]", 0, 8) + "}", new byte[8])));
    }

    [Fact]
    public void BooleansOtherThanZeroOrOne()
    {
        Assert.Contains("bool tensor 'm' holds the byte 2 at element 1; booleans must be stored as 0 or 1",
            LoadFails(Image("{" + Entry("m", "BOOL", "[3]", 0, 3) + "}", [1, 2, 0])));
    }

    [Fact]
    public void TruncatedData()
    {
        var stream = new MemoryStream();
        Safetensors.Save(stream, new Dictionary<string, Tensor> { ["a"] = Tensor.Ones(3), ["b"] = Tensor.Ones(4) });
        var bytes = stream.ToArray();
        Assert.Contains("tensor 'b' needs bytes [12, 28) of the data buffer, which has only 25 bytes (the file is truncated",
            LoadFails(bytes[..^3]));
    }

    [Fact]
    public void EveryTruncationOfAValidFileIsReportedCleanly()
    {
        var stream = new MemoryStream();
        Safetensors.Save(stream, new Dictionary<string, Tensor>
        {
            ["w"] = Tensor.Ones(2, 3), ["n"] = Tensor.Scalar(4, DType.Int64), ["m"] = Tensor.Ones([2], DType.Bool),
        }, new Dictionary<string, string> { ["format"] = "pt" });
        var bytes = stream.ToArray();
        for (int length = 0; length < bytes.Length; length++)
        {
            var cut = new MemoryStream(bytes, 0, length);
            var e = Assert.Throws<InvalidDataException>(() => Safetensors.Load(cut, "cut"));
            Assert.StartsWith("safetensors: cut is not a valid safetensors file", e.Message);
        }
    }

    [Fact]
    public void EverySingleByteCorruptionOfTheHeaderLoadsOrThrowsInvalidData()
    {
        var stream = new MemoryStream();
        Safetensors.Save(stream, new Dictionary<string, Tensor>
        {
            ["w"] = Tensor.Ones(2, 3), ["n"] = Tensor.Scalar(4, DType.Int64), ["m"] = Tensor.Ones([2], DType.Bool),
        });
        var bytes = stream.ToArray();
        long headerEnd = 8 + BinaryPrimitives.ReadInt64LittleEndian(bytes);
        foreach (byte value in new byte[] { 0, (byte)'9', (byte)'"', (byte)'{', (byte)'-', 0xFF })
            for (int i = 0; i < headerEnd; i++)
            {
                var mutated = (byte[])bytes.Clone();
                mutated[i] = value;
                try { Safetensors.Load(new MemoryStream(mutated), "mutated"); }
                catch (InvalidDataException e) { Assert.Contains("mutated", e.Message); }
            }
    }

    [Fact]
    public void AStreamThatCannotBeReadIsAnArgumentError()
    {
        var e = Assert.Throws<ArgumentException>(() => Safetensors.Load(new WriteOnly(), "sink"));
        Assert.Contains("sink cannot be read", e.Message);
    }

    sealed class WriteOnly : MemoryStream
    {
        public override bool CanRead => false;
    }
}
