namespace Nabla.Data;

/// <summary>
/// A decoded 8-bit image: <see cref="Pixels"/> holds Height × Width × Channels bytes, row by row, channels
/// interleaved. Channels: 1 grey, 2 grey + alpha, 3 RGB, 4 RGBA.
/// </summary>
public sealed record PngImage(int Width, int Height, int Channels, byte[] Pixels)
{
    /// <summary>
    /// A float32 tensor [C, H, W] scaled to [0, 1] (torchvision's ToTensor layout). <paramref name="channels"/>
    /// 0 keeps the stored channels; 1 converts to grey (ITU-R 601 luma, as PIL's "L": 0.299 R + 0.587 G + 0.114 B),
    /// 3 to RGB (grey repeated) and 4 to RGBA (opaque alpha added). Alpha is dropped when converting to 1 or 3.
    /// </summary>
    public Tensor ToTensor(int channels = 0)
    {
        if (channels is not (0 or 1 or 3 or 4))
            throw new ArgumentException($"png: can convert to 1 (grey), 3 (RGB) or 4 (RGBA) channels, or 0 to keep them, not {channels}.");
        int c = channels == 0 ? Channels : channels;
        int n = Width * Height;
        var result = new float[c * n];
        Span<float> scale = stackalloc float[256];
        for (int v = 0; v < 256; v++) scale[v] = v / 255f;
        for (int p = 0; p < n; p++)
        {
            int s = p * Channels;
            byte r, g, b, a;
            if (Channels <= 2) { r = g = b = Pixels[s]; a = Channels == 2 ? Pixels[s + 1] : (byte)255; }
            else { r = Pixels[s]; g = Pixels[s + 1]; b = Pixels[s + 2]; a = Channels == 4 ? Pixels[s + 3] : (byte)255; }
            switch (c)
            {
                case 1:
                    result[p] = Channels <= 2 ? scale[r] : scale[Luma(r, g, b)];
                    break;
                case 2:
                    result[p] = scale[r];
                    result[n + p] = scale[a];
                    break;
                default:
                    result[p] = scale[r];
                    result[n + p] = scale[g];
                    result[2 * n + p] = scale[b];
                    if (c == 4) result[3 * n + p] = scale[a];
                    break;
            }
        }
        return Tensor.FromArray(result, [c, Height, Width]);
    }

    // PIL's integer form of L = R * 299/1000 + G * 587/1000 + B * 114/1000, rounded.
    static byte Luma(byte r, byte g, byte b) => (byte)((r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16);
}
