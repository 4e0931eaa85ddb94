namespace Nabla;

/// <summary>The element types a tensor can hold. Float32 is the compute default.</summary>
public enum DType
{
    Float32,
    Float64,
    Int64,
    Bool,
}

/// <summary>Facts about dtypes and PyTorch's type-promotion rule.</summary>
public static class DTypes
{
    public static bool IsFloating(this DType t) => t is DType.Float32 or DType.Float64;

    public static int ElementSize(this DType t) => t switch
    {
        DType.Float32 => 4,
        DType.Float64 => 8,
        DType.Int64 => 8,
        _ => 1,
    };

    /// <summary>PyTorch's name for the dtype, used in printing and checkpoints.</summary>
    public static string TorchName(this DType t) => t switch
    {
        DType.Float32 => "float32",
        DType.Float64 => "float64",
        DType.Int64 => "int64",
        _ => "bool",
    };

    public static DType Parse(string name) => name switch
    {
        "float32" or "float" or "F32" => DType.Float32,
        "float64" or "double" or "F64" => DType.Float64,
        "int64" or "long" or "I64" => DType.Int64,
        "bool" or "BOOL" => DType.Bool,
        _ => throw new ArgumentException($"Unknown dtype '{name}'."),
    };

    /// <summary>The result type of a binary op: bool &lt; int64 &lt; float32 &lt; float64 (both tensors, no scalar rule).</summary>
    public static DType Promote(DType a, DType b) => Math.Max(Rank(a), Rank(b)) switch
    {
        0 => DType.Bool,
        1 => DType.Int64,
        2 => DType.Float32,
        _ => DType.Float64,
    };

    static int Rank(DType t) => t switch { DType.Bool => 0, DType.Int64 => 1, DType.Float32 => 2, _ => 3 };

    internal static DType Of<T>() =>
        typeof(T) == typeof(float) ? DType.Float32 :
        typeof(T) == typeof(double) ? DType.Float64 :
        typeof(T) == typeof(long) ? DType.Int64 :
        typeof(T) == typeof(bool) ? DType.Bool :
        throw new NotSupportedException($"No Nabla dtype for {typeof(T).Name}.");
}
