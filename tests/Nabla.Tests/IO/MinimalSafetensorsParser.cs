using System.Text;
using System.Text.Json;

namespace Nabla.Tests.IO;

/// <summary>
/// An independent reading of the format, written from the specification without Nabla.IO's code or
/// BinaryPrimitives, so CI (which has no Python) still proves that the writer's bytes are standard safetensors.
/// </summary>
static class MinimalSafetensorsParser
{
    public sealed record Entry(string Name, string DType, long[] Shape, long Begin, long End);

    public sealed record Parsed(long HeaderLength, string HeaderText, List<Entry> Entries, Dictionary<string, string> Metadata, byte[] Data);

    public static Parsed Parse(byte[] file)
    {
        Assert.True(file.Length >= 8, "file shorter than 8 bytes");
        long n = 0;
        for (int i = 7; i >= 0; i--) n = (n << 8) | file[i]; // little-endian by hand
        Assert.True(n <= file.Length - 8, $"header length {n} exceeds the file");
        string text = Encoding.UTF8.GetString(file, 8, (int)n);
        Assert.Equal(0, (8 + n) % 8); // data starts 8-byte aligned
        string json = text.TrimEnd(' ');
        Assert.True(json.EndsWith('}') && text.Length - json.Length < 8, "header must be JSON padded with fewer than 8 spaces");
        using var doc = JsonDocument.Parse(text);
        var entries = new List<Entry>();
        var metadata = new Dictionary<string, string>();
        foreach (var p in doc.RootElement.EnumerateObject())
        {
            if (p.Name == "__metadata__")
            {
                foreach (var m in p.Value.EnumerateObject()) metadata[m.Name] = m.Value.GetString()!;
                continue;
            }
            var offsets = p.Value.GetProperty("data_offsets").EnumerateArray().Select(x => x.GetInt64()).ToArray();
            Assert.Equal(2, offsets.Length);
            entries.Add(new Entry(p.Name, p.Value.GetProperty("dtype").GetString()!,
                p.Value.GetProperty("shape").EnumerateArray().Select(x => x.GetInt64()).ToArray(), offsets[0], offsets[1]));
        }
        var data = file.AsSpan(8 + (int)n).ToArray();
        // Back to back, in header order, covering the whole buffer, each exactly numel × element size.
        long position = 0;
        foreach (var e in entries)
        {
            Assert.Equal(position, e.Begin);
            Assert.Equal(e.Shape.Aggregate(1L, (a, b) => a * b) * Size(e.DType), e.End - e.Begin);
            position = e.End;
        }
        Assert.Equal(data.Length, position);
        return new Parsed(n, text, entries, metadata, data);
    }

    public static int Size(string dtype) => dtype switch { "F32" => 4, "F64" => 8, "I64" => 8, "BOOL" => 1, _ => throw new Exception(dtype) };

    /// <summary>The elements of an entry as doubles, decoded by hand from little-endian bytes.</summary>
    public static double[] Values(Parsed file, Entry e)
    {
        int size = Size(e.DType);
        var result = new double[(e.End - e.Begin) / size];
        for (int i = 0; i < result.Length; i++)
        {
            ulong bits = 0;
            for (int b = size - 1; b >= 0; b--) bits = (bits << 8) | file.Data[e.Begin + i * size + b];
            result[i] = e.DType switch
            {
                "F32" => BitConverter.Int32BitsToSingle((int)bits),
                "F64" => BitConverter.Int64BitsToDouble((long)bits),
                "I64" => (long)bits,
                _ => bits,
            };
        }
        return result;
    }
}
