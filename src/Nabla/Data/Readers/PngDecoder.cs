using System.Buffers.Binary;
using System.IO.Compression;

namespace Nabla.Data;

/// <summary>
/// A dependency-free PNG decoder for the images datasets hold: non-interlaced, 8-bit grey, grey + alpha, RGB and
/// RGBA, and palette images (1, 2, 4 or 8 bits per index; RGBA when a tRNS chunk gives the palette alpha) and
/// 1/2/4-bit grey, scaled to 8 bits. Chunk CRCs are checked. Anything else (16-bit samples, Adam7 interlacing,
/// a damaged file) is refused with an InvalidDataException that names the image and the reason.
/// </summary>
public static class PngDecoder
{
    static ReadOnlySpan<byte> Signature => [137, 80, 78, 71, 13, 10, 26, 10];

    public static PngImage Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"png: file {path} does not exist.", path);
        return Decode(File.ReadAllBytes(path), path);
    }

    /// <summary>Decodes PNG bytes; <paramref name="name"/> stands for the image in error messages.</summary>
    public static PngImage Decode(ReadOnlySpan<byte> png, string name = "image")
    {
        if (png.Length < Signature.Length || !png[..Signature.Length].SequenceEqual(Signature))
            throw Bad(name, "it does not start with the PNG signature");
        Header? header = null;
        byte[]? palette = null, paletteAlpha = null;
        using var compressed = new MemoryStream();
        bool sawEnd = false;
        int pos = Signature.Length;
        while (!sawEnd)
        {
            if (png.Length - pos < 12) throw Bad(name, "the file is truncated (no IEND chunk)");
            uint length = BinaryPrimitives.ReadUInt32BigEndian(png[pos..]);
            if (length > int.MaxValue || length > png.Length - pos - 12)
                throw Bad(name, $"a chunk at byte {pos} declares {length} bytes, past the end of the file (truncated)");
            var typeAndData = png.Slice(pos + 4, 4 + (int)length);
            string type = System.Text.Encoding.ASCII.GetString(typeAndData[..4]);
            var data = typeAndData[4..];
            uint crc = BinaryPrimitives.ReadUInt32BigEndian(png[(pos + 8 + (int)length)..]);
            if (Crc32.Compute(typeAndData) != crc) throw Bad(name, $"chunk {type} at byte {pos} has a wrong CRC (corrupt file)");
            pos += 12 + (int)length;

            if (header == null && type != "IHDR") throw Bad(name, $"the first chunk is {type}, not IHDR");
            switch (type)
            {
                case "IHDR": header = ReadHeader(data, name); break;
                case "PLTE":
                    if (data.Length % 3 != 0 || data.Length == 0 || data.Length > 256 * 3)
                        throw Bad(name, $"the PLTE chunk has {data.Length} bytes, not 3 per entry for 1 to 256 entries");
                    palette = data.ToArray();
                    break;
                case "tRNS":
                    if (header!.ColorType == 3) paletteAlpha = data.ToArray();
                    break; // a single transparent grey or RGB value is ignored: no alpha channel is made for it
                case "IDAT": compressed.Write(data); break;
                case "IEND": sawEnd = true; break;
                default:
                    // Unknown ancillary chunks (lower-case first letter) may be skipped; critical ones may not.
                    if (char.IsUpper(type[0])) throw Bad(name, $"it has an unknown critical chunk {type}");
                    break;
            }
        }
        var h = header!;
        if (compressed.Length == 0) throw Bad(name, "it has no IDAT (image data) chunk");
        if (h.ColorType == 3 && palette == null) throw Bad(name, "it is a palette image without a PLTE chunk");

        int rowBytes = (int)(((long)h.Width * h.SamplesPerPixel * h.BitDepth + 7) / 8);
        var raw = Inflate(compressed, (long)h.Height * (rowBytes + 1), name);
        Unfilter(raw, h.Height, rowBytes, Math.Max(1, h.SamplesPerPixel * h.BitDepth / 8), name);
        return Expand(raw, h, rowBytes, palette, paletteAlpha, name);
    }

    sealed record Header(int Width, int Height, int BitDepth, int ColorType)
    {
        public int SamplesPerPixel => ColorType switch { 0 => 1, 2 => 3, 3 => 1, 4 => 2, _ => 4 };
    }

    static Header ReadHeader(ReadOnlySpan<byte> d, string name)
    {
        if (d.Length != 13) throw Bad(name, $"the IHDR chunk has {d.Length} bytes, not 13");
        int width = BinaryPrimitives.ReadInt32BigEndian(d);
        int height = BinaryPrimitives.ReadInt32BigEndian(d[4..]);
        int depth = d[8], color = d[9];
        if (width <= 0 || height <= 0) throw Bad(name, $"it declares a size of {width}×{height}");
        bool supported = color switch
        {
            0 or 3 => depth is 1 or 2 or 4 or 8,
            2 or 4 or 6 => depth == 8,
            _ => throw Bad(name, $"it declares colour type {color}, which PNG does not define"),
        };
        if (!supported)
            throw Bad(name, $"{depth}-bit samples with colour type {color} are not supported (only 8-bit grey, grey+alpha, RGB, RGBA; 1-8-bit grey and palette)");
        if (d[10] != 0 || d[11] != 0) throw Bad(name, $"it declares compression method {d[10]} and filter method {d[11]}; PNG defines only 0");
        if (d[12] == 1) throw Bad(name, "it is interlaced (Adam7), which is not supported; save it non-interlaced");
        if (d[12] != 0) throw Bad(name, $"it declares interlace method {d[12]}");
        var header = new Header(width, height, depth, color);
        // Palette images expand to up to 4 bytes per pixel.
        long bytes = (long)width * height * (color == 3 ? 4 : header.SamplesPerPixel);
        if (bytes > Array.MaxLength) throw Bad(name, $"its size {width}×{height} is too large to decode into one array");
        return header;
    }

    static byte[] Inflate(MemoryStream compressed, long expected, string name)
    {
        if (expected > Array.MaxLength) throw Bad(name, "its image data is too large to decode into one array");
        var raw = new byte[expected];
        compressed.Position = 0;
        int got = 0;
        try
        {
            using var zlib = new ZLibStream(compressed, CompressionMode.Decompress);
            while (got < raw.Length)
            {
                int n = zlib.Read(raw, got, raw.Length - got);
                if (n == 0) break;
                got += n;
            }
        }
        catch (InvalidDataException e)
        {
            throw Bad(name, $"its compressed image data is corrupt ({e.Message})");
        }
        if (got < raw.Length) throw Bad(name, $"its image data is truncated: {got} of {raw.Length} bytes");
        return raw;
    }

    // Undoes the per-row filters in place. Each row is one filter-type byte followed by rowBytes bytes; bpp is
    // the distance in bytes to the corresponding byte of the previous pixel (at least 1).
    static void Unfilter(byte[] raw, int height, int rowBytes, int bpp, string name)
    {
        int stride = rowBytes + 1;
        for (int y = 0; y < height; y++)
        {
            int filter = raw[y * stride];
            var row = raw.AsSpan(y * stride + 1, rowBytes);
            var up = y == 0 ? Span<byte>.Empty : raw.AsSpan((y - 1) * stride + 1, rowBytes);
            switch (filter)
            {
                case 0: break;
                case 1: for (int i = bpp; i < row.Length; i++) row[i] += row[i - bpp]; break;
                case 2: if (y > 0) for (int i = 0; i < row.Length; i++) row[i] += up[i]; break;
                case 3:
                    for (int i = 0; i < row.Length; i++)
                    {
                        int left = i >= bpp ? row[i - bpp] : 0, above = y > 0 ? up[i] : 0;
                        row[i] += (byte)((left + above) >> 1);
                    }
                    break;
                case 4:
                    for (int i = 0; i < row.Length; i++)
                    {
                        int a = i >= bpp ? row[i - bpp] : 0, b = y > 0 ? up[i] : 0, c = i >= bpp && y > 0 ? up[i - bpp] : 0;
                        row[i] += (byte)Paeth(a, b, c);
                    }
                    break;
                default: throw Bad(name, $"row {y} uses filter type {filter}; PNG defines 0 to 4");
            }
        }
    }

    static int Paeth(int a, int b, int c)
    {
        int p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    static PngImage Expand(byte[] raw, Header h, int rowBytes, byte[]? palette, byte[]? paletteAlpha, string name)
    {
        int stride = rowBytes + 1;
        if (h.ColorType != 3 && h.BitDepth == 8)
        {
            int channels = h.SamplesPerPixel;
            var pixels = new byte[(long)h.Width * h.Height * channels];
            for (int y = 0; y < h.Height; y++)
                raw.AsSpan(y * stride + 1, rowBytes).CopyTo(pixels.AsSpan(y * rowBytes));
            return new PngImage(h.Width, h.Height, channels, pixels);
        }

        // Packed samples (1, 2, 4 bits, most significant first) or 8-bit palette indices.
        int depth = h.BitDepth, mask = (1 << depth) - 1;
        int outChannels = h.ColorType == 0 ? 1 : paletteAlpha != null ? 4 : 3;
        var result = new byte[(long)h.Width * h.Height * outChannels];
        int entries = palette == null ? 0 : palette.Length / 3;
        for (int y = 0; y < h.Height; y++)
        {
            var row = raw.AsSpan(y * stride + 1, rowBytes);
            for (int x = 0; x < h.Width; x++)
            {
                int bit = x * depth;
                int v = (row[bit >> 3] >> (8 - depth - (bit & 7))) & mask;
                int o = (y * h.Width + x) * outChannels;
                if (h.ColorType == 0) { result[o] = (byte)(v * 255 / mask); continue; }
                if (v >= entries) throw Bad(name, $"pixel ({x}, {y}) uses palette entry {v}, but the palette has {entries}");
                result[o] = palette![3 * v];
                result[o + 1] = palette[3 * v + 1];
                result[o + 2] = palette[3 * v + 2];
                if (outChannels == 4) result[o + 3] = v < paletteAlpha!.Length ? paletteAlpha[v] : (byte)255;
            }
        }
        return new PngImage(h.Width, h.Height, outChannels, result);
    }

    static InvalidDataException Bad(string name, string why) => new($"png: cannot decode {name}: {why}.");
}
