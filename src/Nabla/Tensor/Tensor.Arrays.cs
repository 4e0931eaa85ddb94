using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Nabla.Backends.Cpu;

namespace Nabla;

/// <summary>Conversions between tensors and C# arrays of any rank (rectangular float[,] or nested float[][]).</summary>
public sealed partial class Tensor
{
    public static Tensor From(float[,] data) => From((Array)data);
    public static Tensor From(float[,,] data) => From((Array)data);
    public static Tensor From(float[,,,] data) => From((Array)data);
    public static Tensor From(double[,] data) => From((Array)data);
    public static Tensor From(double[,,] data) => From((Array)data);
    public static Tensor From(long[,] data) => From((Array)data);
    public static Tensor From(int[,] data) => From((Array)data);
    public static Tensor From(bool[,] data) => From((Array)data);

    /// <summary>int values become int64, as torch.tensor does with Python ints.</summary>
    public static Tensor From(int[] data, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        var wide = new long[data.Length];
        for (int i = 0; i < data.Length; i++) wide[i] = data[i];
        return From(wide, shape);
    }

    /// <summary>
    /// A tensor copied from an array of any rank: rectangular (float[,,]), nested (float[][]) or a mix. The
    /// shape is read from the array; nested arrays must be regular. Elements may be float, double, long, int
    /// (becomes int64) or bool; <paramref name="dtype"/> converts the result.
    /// </summary>
    public static Tensor From(Array data, DType? dtype = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        var shape = new List<int>();
        var leaf = MeasureArray(data, shape);
        int[] dims = CheckShape(shape.ToArray(), "from_array");
        int n = Layout.NumElements(dims);
        Tensor t = leaf == typeof(float) ? FromArray(CollectArray<float>(data, dims, n), dims)
            : leaf == typeof(double) ? FromArray(CollectArray<double>(data, dims, n), dims)
            : leaf == typeof(long) || leaf == typeof(int) ? FromArray(CollectArray<long>(data, dims, n), dims)
            : FromArray(CollectArray<bool>(data, dims, n), dims);
        return dtype is { } d && d != t.DType ? t.CastCopy(d) : t;
    }

    /// <summary>Appends the dimensions found by following the first element of each level; returns the leaf element type.</summary>
    static Type MeasureArray(Array a, List<int> shape)
    {
        for (int r = 0; r < a.Rank; r++) shape.Add(a.GetLength(r));
        var element = a.GetType().GetElementType()!;
        if (element.IsArray)
        {
            if (a.Length == 0) return LeafType(element);
            var first = FirstElement(a) as Array
                ?? throw new ArgumentException($"from_array: a nested array is null (outer shape {Layout.Format(shape.ToArray())}).");
            return MeasureArray(first, shape);
        }
        if (element == typeof(float) || element == typeof(double) || element == typeof(long) || element == typeof(int) || element == typeof(bool))
            return element;
        throw new ArgumentException($"from_array: element type {element.Name} is not supported; use float, double, long, int or bool.");
    }

    static Type LeafType(Type t)
    {
        while (t.IsArray) t = t.GetElementType()!;
        if (t == typeof(float) || t == typeof(double) || t == typeof(long) || t == typeof(int) || t == typeof(bool)) return t;
        throw new ArgumentException($"from_array: element type {t.Name} is not supported; use float, double, long, int or bool.");
    }

    static object? FirstElement(Array a)
    {
        foreach (var x in a) return x;
        return null;
    }

    static T[] CollectArray<T>(Array data, int[] dims, int n) where T : unmanaged
    {
        var result = new T[n];
        int pos = 0;
        CopyLevel(data, dims, 0, result, ref pos);
        return result;
    }

    /// <summary>Copies one level in row-major order, checking that it has the dimensions measured from the first elements.</summary>
    static void CopyLevel<T>(Array a, int[] dims, int depth, T[] dst, ref int pos) where T : unmanaged
    {
        for (int r = 0; r < a.Rank; r++)
        {
            if (depth + r >= dims.Length || a.GetLength(r) != dims[depth + r])
                throw new ArgumentException(
                    $"from_array: ragged nested arrays: expected shape {Layout.Format(dims)}, but an array at depth {depth + r} has length {a.GetLength(r)}.");
        }
        depth += a.Rank;
        var element = a.GetType().GetElementType()!;
        if (!element.IsArray)
        {
            if (depth != dims.Length)
                throw new ArgumentException($"from_array: ragged nested arrays: values found at depth {depth}, expected shape {Layout.Format(dims)}.");
            CopyLeaf(a, element, dst.AsSpan(pos, a.Length));
            pos += a.Length;
            return;
        }
        foreach (var x in a) // foreach walks any-rank arrays in row-major order
        {
            if (x is not Array inner)
                throw new ArgumentException($"from_array: a nested array is null (expected shape {Layout.Format(dims)}).");
            CopyLevel(inner, dims, depth, dst, ref pos);
        }
    }

    static void CopyLeaf<T>(Array a, Type element, Span<T> dst) where T : unmanaged
    {
        if (element == typeof(int))
        {
            // int widens to long; every other leaf type already matches T.
            var ints = FlatSpan<int>(a);
            var longs = MemoryMarshal.Cast<T, long>(dst);
            for (int i = 0; i < ints.Length; i++) longs[i] = ints[i];
        }
        else if (element == typeof(T)) FlatSpan<T>(a).CopyTo(dst);
        else throw new ArgumentException($"from_array: nested arrays mix element types {element.Name} and {typeof(T).Name}.");
    }

    /// <summary>The elements of an array of any rank as one row-major span (multi-dimensional arrays are stored flat).</summary>
    static Span<T> FlatSpan<T>(Array a) where T : unmanaged =>
        MemoryMarshal.CreateSpan(ref Unsafe.As<byte, T>(ref MemoryMarshal.GetArrayDataReference(a)), a.Length);

    /// <summary>The elements as an array with the tensor's rank and lengths (T must match the dtype; 0-d tensors have no such array, use Item).</summary>
    public Array ToMultiArray<T>() where T : unmanaged
    {
        if (DTypes.Of<T>() != DType)
            throw new InvalidOperationException($"to_multi_array: the tensor holds {DType.TorchName()}, not {DTypes.Of<T>().TorchName()}; convert it with To() first.");
        if (Rank == 0)
            throw new InvalidOperationException("to_multi_array: a 0-d tensor has no array form; use Item<T>() instead.");
        var result = Array.CreateInstance(typeof(T), _shape);
        CopyTo(FlatSpan<T>(result));
        return result;
    }

    /// <summary>The elements of a 2-D tensor as T[rows, columns].</summary>
    public T[,] To2D<T>() where T : unmanaged
    {
        if (Rank != 2) throw new InvalidOperationException($"to_2d: expected a 2-D tensor, got shape {ShapeText}.");
        return (T[,])ToMultiArray<T>();
    }

    /// <summary>The elements of a 3-D tensor as T[d0, d1, d2].</summary>
    public T[,,] To3D<T>() where T : unmanaged
    {
        if (Rank != 3) throw new InvalidOperationException($"to_3d: expected a 3-D tensor, got shape {ShapeText}.");
        return (T[,,])ToMultiArray<T>();
    }
}
