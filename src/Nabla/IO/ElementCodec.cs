using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Nabla.IO;

/// <summary>
/// Element bytes as safetensors stores them: little-endian, booleans as one byte 0 or 1.
/// <para>On a little-endian host the bytes of a storage array already are the file's bytes, so the bulk path copies
/// them as they are. The portable path converts one element at a time with <see cref="BinaryPrimitives"/> and is what
/// a big-endian host runs; tests run both and compare, so the portable path is exercised on every machine.</para>
/// </summary>
internal static class ElementCodec
{
    /// <summary>Whether this host may copy element bytes without conversion.</summary>
    public static readonly bool HostIsLittleEndian = BitConverter.IsLittleEndian;

    /// <summary>Writes <paramref name="source"/> to <paramref name="destination"/> as little-endian bytes (its length × element size).</summary>
    public static void Encode<T>(ReadOnlySpan<T> source, Span<byte> destination, bool bulk) where T : unmanaged
    {
        if (bulk && typeof(T) != typeof(bool))
        {
            MemoryMarshal.AsBytes(source).CopyTo(destination);
            return;
        }
        if (typeof(T) == typeof(float))
        {
            var s = MemoryMarshal.Cast<T, float>(source);
            for (int i = 0; i < s.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(destination[(4 * i)..], s[i]);
        }
        else if (typeof(T) == typeof(double))
        {
            var s = MemoryMarshal.Cast<T, double>(source);
            for (int i = 0; i < s.Length; i++) BinaryPrimitives.WriteDoubleLittleEndian(destination[(8 * i)..], s[i]);
        }
        else if (typeof(T) == typeof(long))
        {
            var s = MemoryMarshal.Cast<T, long>(source);
            for (int i = 0; i < s.Length; i++) BinaryPrimitives.WriteInt64LittleEndian(destination[(8 * i)..], s[i]);
        }
        else
        {
            // A bool read through MemoryMarshal could hold any byte; the file must hold exactly 0 or 1.
            var s = MemoryMarshal.Cast<T, bool>(source);
            for (int i = 0; i < s.Length; i++) destination[i] = s[i] ? (byte)1 : (byte)0;
        }
    }

    /// <summary>
    /// Reads little-endian bytes into <paramref name="destination"/>. Returns the index of the first boolean byte that is
    /// neither 0 nor 1 (the caller reports it as corruption), or -1 when every element is valid.
    /// </summary>
    public static int Decode<T>(ReadOnlySpan<byte> source, Span<T> destination, bool bulk) where T : unmanaged
    {
        if (typeof(T) == typeof(bool))
        {
            var d = MemoryMarshal.Cast<T, bool>(destination);
            for (int i = 0; i < d.Length; i++)
            {
                byte b = source[i];
                if (b > 1) return i;
                d[i] = b != 0;
            }
            return -1;
        }
        if (bulk)
        {
            source[..(destination.Length * Unsafe.SizeOf<T>())].CopyTo(MemoryMarshal.AsBytes(destination));
            return -1;
        }
        if (typeof(T) == typeof(float))
        {
            var d = MemoryMarshal.Cast<T, float>(destination);
            for (int i = 0; i < d.Length; i++) d[i] = BinaryPrimitives.ReadSingleLittleEndian(source[(4 * i)..]);
        }
        else if (typeof(T) == typeof(double))
        {
            var d = MemoryMarshal.Cast<T, double>(destination);
            for (int i = 0; i < d.Length; i++) d[i] = BinaryPrimitives.ReadDoubleLittleEndian(source[(8 * i)..]);
        }
        else
        {
            var d = MemoryMarshal.Cast<T, long>(destination);
            for (int i = 0; i < d.Length; i++) d[i] = BinaryPrimitives.ReadInt64LittleEndian(source[(8 * i)..]);
        }
        return -1;
    }
}
