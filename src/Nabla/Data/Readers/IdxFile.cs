using System.Buffers.Binary;
using System.IO.Compression;

namespace Nabla.Data;

/// <summary>The contents of an IDX file of unsigned bytes: its dimensions and its elements in row-major order.</summary>
public sealed record IdxArray(int[] Dimensions, byte[] Data);

/// <summary>
/// The IDX format of MNIST and Fashion-MNIST (LeCun et al.): a 4-byte magic number (two zero bytes, an element
/// type code, the number of dimensions), each dimension as a big-endian int32, then the elements. Only unsigned
/// bytes (type 0x08) are read, which is what image and label files hold. Files may be gzip-compressed; the gzip
/// signature decides, not the file name. Every error names the file.
/// </summary>
public static class IdxFile
{
    const byte UnsignedByte = 0x08;

    public static IdxArray Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] bytes = ReadAllBytes(path);
        if (bytes.Length < 4)
            throw new InvalidDataException($"idx: {path} is too short ({bytes.Length} bytes) to hold the 4-byte magic number.");
        if (bytes[0] != 0 || bytes[1] != 0)
            throw new InvalidDataException($"idx: {path} does not start with an IDX magic number (got 0x{bytes[0]:X2}{bytes[1]:X2}{bytes[2]:X2}{bytes[3]:X2}, expected 0x0000TTDD).");
        if (bytes[2] != UnsignedByte)
            throw new InvalidDataException($"idx: {path} holds elements of type 0x{bytes[2]:X2}; only unsigned bytes (0x08) are supported.");
        int rank = bytes[3];
        if (rank == 0)
            throw new InvalidDataException($"idx: {path} declares 0 dimensions.");
        int headerLength = 4 + 4 * rank;
        if (bytes.Length < headerLength)
            throw new InvalidDataException($"idx: {path} is truncated inside its header ({bytes.Length} bytes, the header of {rank} dimensions needs {headerLength}).");
        var dims = new int[rank];
        long count = 1;
        for (int i = 0; i < rank; i++)
        {
            int d = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4 + 4 * i));
            if (d < 0) throw new InvalidDataException($"idx: {path} declares a negative size {d} for dimension {i}.");
            dims[i] = d;
            count *= d;
            if (count > Array.MaxLength) throw new InvalidDataException($"idx: {path} declares [{string.Join(", ", dims[..(i + 1)])}...], more elements than one array can hold.");
        }
        long found = bytes.Length - headerLength;
        if (found < count)
            throw new InvalidDataException($"idx: {path} is truncated: dimensions [{string.Join(", ", dims)}] need {count} bytes of data, the file has {found}.");
        if (found > count)
            throw new InvalidDataException($"idx: {path} has {found - count} bytes after the {count} bytes of data that dimensions [{string.Join(", ", dims)}] declare.");
        return new IdxArray(dims, bytes.AsSpan(headerLength).ToArray());
    }

    /// <summary>Writes unsigned bytes as an IDX file, gzip-compressed when <paramref name="gzip"/> is true.</summary>
    public static void Write(string path, int[] dimensions, byte[] data, bool gzip = true)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(dimensions);
        ArgumentNullException.ThrowIfNull(data);
        if (dimensions.Length is 0 or > 255) throw new ArgumentException($"idx: a file has 1 to 255 dimensions, got {dimensions.Length}.");
        long count = 1;
        foreach (int d in dimensions)
        {
            if (d < 0) throw new ArgumentException($"idx: negative dimension in [{string.Join(", ", dimensions)}].");
            count *= d;
        }
        if (count != data.Length) throw new ArgumentException($"idx: dimensions [{string.Join(", ", dimensions)}] need {count} bytes, got {data.Length}.");
        var header = new byte[4 + 4 * dimensions.Length];
        header[2] = UnsignedByte;
        header[3] = (byte)dimensions.Length;
        for (int i = 0; i < dimensions.Length; i++) BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4 + 4 * i), dimensions[i]);
        using var file = File.Create(path);
        using Stream output = gzip ? new GZipStream(file, CompressionLevel.Optimal) : file;
        output.Write(header);
        output.Write(data);
    }

    /// <summary>
    /// An image classification dataset from an images file (N × rows × cols) and a labels file (N): inputs are
    /// float32 [N, 1, rows, cols] scaled to [0, 1] (byte / 255, as torchvision's ToTensor), targets int64 [N].
    /// </summary>
    public static TensorDataset LoadImages(string imagesPath, string labelsPath, int numClasses = 0)
    {
        var images = Read(imagesPath);
        var labels = Read(labelsPath);
        if (images.Dimensions.Length != 3)
            throw new InvalidDataException($"idx: images file {imagesPath} has dimensions [{string.Join(", ", images.Dimensions)}]; expected 3 (count, rows, columns).");
        if (labels.Dimensions.Length != 1)
            throw new InvalidDataException($"idx: labels file {labelsPath} has dimensions [{string.Join(", ", labels.Dimensions)}]; expected 1 (count).");
        int n = images.Dimensions[0], rows = images.Dimensions[1], cols = images.Dimensions[2];
        if (labels.Dimensions[0] != n)
            throw new InvalidDataException($"idx: images file {imagesPath} holds {n} images but labels file {labelsPath} holds {labels.Dimensions[0]} labels.");

        // Exact byte / 255 for each of the 256 values, looked up instead of divided per pixel.
        Span<float> scale = stackalloc float[256];
        for (int v = 0; v < 256; v++) scale[v] = v / 255f;
        var pixels = new float[images.Data.Length];
        var src = images.Data;
        for (int i = 0; i < pixels.Length; i++) pixels[i] = scale[src[i]];

        var targets = new long[n];
        for (int i = 0; i < n; i++)
        {
            int label = labels.Data[i];
            if (numClasses > 0 && label >= numClasses)
                throw new InvalidDataException($"idx: labels file {labelsPath} has label {label} at index {i}; expected 0 to {numClasses - 1}.");
            targets[i] = label;
        }
        return new TensorDataset(Tensor.FromArray(pixels, [n, 1, rows, cols]), Tensor.FromArray(targets, [n]));
    }

    static byte[] ReadAllBytes(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"idx: file {path} does not exist.", path);
        byte[] raw = File.ReadAllBytes(path);
        if (raw.Length < 2 || raw[0] != 0x1F || raw[1] != 0x8B) return raw;
        try
        {
            using var gzip = new GZipStream(new MemoryStream(raw), CompressionMode.Decompress);
            using var output = new MemoryStream(raw.Length * 4);
            gzip.CopyTo(output);
            return output.ToArray();
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"idx: {path} is a corrupt or truncated gzip file: {e.Message}", e);
        }
    }
}
