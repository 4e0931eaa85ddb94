using System.Buffers.Binary;
using System.IO.Compression;
using Nabla.Data;

namespace Nabla.Tests.Support;

/// <summary>
/// A minimal PNG encoder for tests that need image files on disk (8-bit grey, grey+alpha, RGB, RGBA; every row
/// with filter type 0). The decoder's format coverage comes from Golden/png.json, written by other encoders.
/// </summary>
public static class TestPng
{
    public static byte[] Encode(int width, int height, int channels, byte[] pixels)
    {
        byte colorType = channels switch { 1 => 0, 2 => 4, 3 => 2, 4 => 6, _ => throw new ArgumentException("channels") };
        var raw = new byte[height * (width * channels + 1)];
        for (int y = 0; y < height; y++)
            pixels.AsSpan(y * width * channels, width * channels).CopyTo(raw.AsSpan(y * (width * channels + 1) + 1));
        var compressed = new MemoryStream();
        using (var z = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true)) z.Write(raw);

        var png = new MemoryStream();
        png.Write([137, 80, 78, 71, 13, 10, 26, 10]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8;
        ihdr[9] = colorType;
        Chunk(png, "IHDR", ihdr);
        Chunk(png, "IDAT", compressed.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    public static void Write(string path, int width, int height, int channels, byte[] pixels) =>
        File.WriteAllBytes(path, Encode(width, height, channels, pixels));

    static void Chunk(Stream s, string type, byte[] data)
    {
        Span<byte> four = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(four, data.Length);
        s.Write(four);
        var body = new byte[4 + data.Length];
        System.Text.Encoding.ASCII.GetBytes(type, body);
        data.CopyTo(body, 4);
        s.Write(body);
        BinaryPrimitives.WriteUInt32BigEndian(four, Crc32.Compute(body));
        s.Write(four);
    }
}
