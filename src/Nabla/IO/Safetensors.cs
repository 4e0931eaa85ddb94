using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Nabla.IO;

/// <summary>
/// Reads and writes the safetensors format (the format of Hugging Face checkpoints), so Nabla and PyTorch can
/// exchange weights:
/// <code>
/// [8 bytes: header length N, unsigned little-endian] [N bytes: UTF-8 JSON header] [data buffer]
/// header = { "__metadata__": {string: string} (optional),
///            name: { "dtype": "F32" | "F64" | "I64" | "BOOL", "shape": [..], "data_offsets": [begin, end] }, ... }
/// </code>
/// Offsets are relative to the start of the data buffer; tensors are stored back to back, row-major, little-endian,
/// in the order given. Files are written atomically (see <see cref="AtomicFile"/>) and every way a file can be
/// corrupt is reported as an <see cref="InvalidDataException"/> naming the file and the problem, checked before
/// anything is allocated from a length the file claims.
/// </summary>
public static class Safetensors
{
    /// <summary>The largest header accepted (the reference implementation's limit): bigger means corrupt or hostile.</summary>
    public const long MaxHeaderBytes = 100_000_000;

    /// <summary>Writes <paramref name="tensors"/> (non-contiguous views are written contiguous) atomically to <paramref name="path"/>.</summary>
    public static void Save(string path, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        AtomicFile.Write(path, stream => Save(stream, tensors, metadata));
    }

    /// <summary>Writes <paramref name="tensors"/> to <paramref name="stream"/> from its current position.</summary>
    public static void Save(Stream stream, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null) =>
        Save(stream, tensors, metadata, ElementCodec.HostIsLittleEndian);

    internal static void Save(Stream stream, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata, bool bulk)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(tensors);
        var list = new List<(string, Tensor)>();
        foreach (var (name, tensor) in tensors)
        {
            if (name == SafetensorsHeader.MetadataKey)
                throw new ArgumentException($"safetensors: '{SafetensorsHeader.MetadataKey}' is reserved for the metadata and cannot name a tensor.");
            if (tensor is null) throw new ArgumentException($"safetensors: the tensor '{name}' is null.");
            list.Add((name, tensor));
        }
        var header = SafetensorsHeader.Write(list, metadata);
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
        stream.Write(length);
        stream.Write(header);
        foreach (var (_, tensor) in list)
        {
            var dense = tensor.IsContiguous ? tensor : tensor.DenseCopy();
            switch (dense.DType)
            {
                case DType.Float32: WriteElements(stream, dense.Span<float>(), bulk); break;
                case DType.Float64: WriteElements(stream, dense.Span<double>(), bulk); break;
                case DType.Int64: WriteElements(stream, dense.Span<long>(), bulk); break;
                default: WriteElements(stream, dense.Span<bool>(), bulk); break;
            }
        }
        stream.Flush();
    }

    /// <summary>Reads every tensor of the file at <paramref name="path"/>, in the order they were written.</summary>
    public static OrderedDictionary<string, Tensor> Load(string path) => Load(path, out _);

    /// <summary>Reads every tensor and the metadata (empty when the file has none).</summary>
    public static OrderedDictionary<string, Tensor> Load(string path, out IReadOnlyDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return Load(stream, out metadata, $"'{path}'", ElementCodec.HostIsLittleEndian);
    }

    /// <summary>Reads a safetensors image from <paramref name="stream"/>'s position to its end; <paramref name="name"/> appears in error messages.</summary>
    public static OrderedDictionary<string, Tensor> Load(Stream stream, string? name = null) => Load(stream, out _, name);

    public static OrderedDictionary<string, Tensor> Load(Stream stream, out IReadOnlyDictionary<string, string> metadata, string? name = null) =>
        Load(stream, out metadata, name ?? "the stream", ElementCodec.HostIsLittleEndian);

    internal static OrderedDictionary<string, Tensor> Load(Stream stream, out IReadOnlyDictionary<string, string> metadata, string source, bool bulk)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanRead) throw new ArgumentException($"safetensors: {source} cannot be read.", nameof(stream));
        if (!stream.CanSeek)
        {
            // Lengths are checked against the stream's size before anything is allocated from them; a stream of
            // unknown size is first copied (memory grows with the bytes that really arrive, not with claimed sizes).
            var copy = new MemoryStream();
            stream.CopyTo(copy);
            copy.Position = 0;
            stream = copy;
        }

        long available = stream.Length - stream.Position;
        if (available < 8)
            throw Corrupt(source, $"it is {available} bytes long, shorter than the 8-byte header length every safetensors file starts with");
        Span<byte> lengthBytes = stackalloc byte[8];
        stream.ReadExactly(lengthBytes);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
        if (headerLength > MaxHeaderBytes)
            throw Corrupt(source, $"the header length field says {headerLength} bytes, more than the {MaxHeaderBytes}-byte limit (not a safetensors file, or a corrupt one)");
        if ((long)headerLength > available - 8)
            throw Corrupt(source, $"the header length field says {headerLength} bytes but only {available - 8} bytes follow it (truncated, or not a safetensors file)");

        var header = new byte[headerLength];
        stream.ReadExactly(header);
        long bufferLength = available - 8 - (long)headerLength;
        var entries = SafetensorsHeader.Parse(header, bufferLength, source, out var meta);
        metadata = meta;

        var result = new OrderedDictionary<string, Tensor>(entries.Count);
        try
        {
            // Entries are sorted by offset and cover the buffer without gaps, so the data is read front to back.
            foreach (var e in entries)
            {
                var tensor = new Tensor(e.Shape, e.DType);
                switch (e.DType)
                {
                    case DType.Float32: ReadElements(stream, tensor.Span<float>(), bulk, e, source); break;
                    case DType.Float64: ReadElements(stream, tensor.Span<double>(), bulk, e, source); break;
                    case DType.Int64: ReadElements(stream, tensor.Span<long>(), bulk, e, source); break;
                    default: ReadElements(stream, tensor.Span<bool>(), bulk, e, source); break;
                }
                result.Add(e.Name, tensor);
            }
        }
        catch (EndOfStreamException)
        {
            // Only possible if the file shrank while being read: its length was checked against the header above.
            throw Corrupt(source, "the data buffer ended early while reading (was the file modified during the load?)");
        }
        return result;
    }

    const int ChunkBytes = 1 << 16;

    static void WriteElements<T>(Stream stream, ReadOnlySpan<T> elements, bool bulk) where T : unmanaged
    {
        if (bulk && typeof(T) != typeof(bool))
        {
            stream.Write(MemoryMarshal.AsBytes(elements));
            return;
        }
        int size = System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        var chunk = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            for (int start = 0; start < elements.Length; start += ChunkBytes / size)
            {
                var part = elements.Slice(start, Math.Min(ChunkBytes / size, elements.Length - start));
                ElementCodec.Encode(part, chunk, bulk);
                stream.Write(chunk, 0, part.Length * size);
            }
        }
        finally { ArrayPool<byte>.Shared.Return(chunk); }
    }

    static void ReadElements<T>(Stream stream, Span<T> elements, bool bulk, SafetensorsEntry entry, string source) where T : unmanaged
    {
        if (bulk && typeof(T) != typeof(bool))
        {
            stream.ReadExactly(MemoryMarshal.AsBytes(elements));
            return;
        }
        int size = System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        var chunk = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            for (int start = 0; start < elements.Length; start += ChunkBytes / size)
            {
                var part = elements.Slice(start, Math.Min(ChunkBytes / size, elements.Length - start));
                stream.ReadExactly(chunk, 0, part.Length * size);
                int bad = ElementCodec.Decode<T>(chunk.AsSpan(0, part.Length * size), part, bulk);
                if (bad >= 0)
                    throw Corrupt(source, $"bool tensor '{entry.Name}' holds the byte {chunk[bad]} at element {start + bad}; booleans must be stored as 0 or 1");
            }
        }
        finally { ArrayPool<byte>.Shared.Return(chunk); }
    }

    internal static InvalidDataException Corrupt(string source, string what) =>
        new($"safetensors: {source} is not a valid safetensors file: {what}.");
}
