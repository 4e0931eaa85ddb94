using System.Numerics;
using Nabla.Autograd;
using Nabla.Backends.Cpu;
using Nabla.Ops;

namespace Nabla;

public sealed partial class Tensor
{
    /// <summary>This tensor if it is already dense in row-major order, otherwise a dense copy (gradient passes through).</summary>
    public Tensor Contiguous() => IsContiguous ? this : CopyOp.Forward(this);

    /// <summary>A dense copy that shares nothing with this tensor (gradient passes through).</summary>
    public Tensor Clone() => CopyOp.Forward(this);

    /// <summary>This tensor converted to <paramref name="dtype"/> (the same object when nothing changes).</summary>
    public Tensor To(DType dtype) => dtype == DType ? this : CastOp.Forward(this, dtype);

    public Tensor Float() => To(DType.Float32);
    public Tensor Double() => To(DType.Float64);
    public Tensor Long() => To(DType.Int64);
    public Tensor Bool() => To(DType.Bool);

    /// <summary>The elements in row-major order as a new array of <typeparamref name="T"/> (which must match the dtype).</summary>
    public T[] ToArray<T>() where T : unmanaged
    {
        if (DTypes.Of<T>() != DType)
            throw new InvalidOperationException($"to_array: the tensor holds {DType.TorchName()}, not {DTypes.Of<T>().TorchName()}; convert it with To() first.");
        var result = new T[_numel];
        CopyTo<T>(result);
        return result;
    }

    /// <summary>The single value of a one-element tensor, as a double whatever the dtype.</summary>
    public double Item()
    {
        if (_numel != 1)
            throw new InvalidOperationException($"item: only one-element tensors can be converted to a scalar, this one has shape {ShapeText}.");
        return _storage.GetAsDouble(_offset);
    }

    /// <summary>The single value of a one-element tensor, as <typeparamref name="T"/> (which must match the dtype).</summary>
    public T Item<T>() where T : unmanaged
    {
        if (_numel != 1)
            throw new InvalidOperationException($"item: only one-element tensors can be converted to a scalar, this one has shape {ShapeText}.");
        if (DTypes.Of<T>() != DType)
            throw new InvalidOperationException($"item: the tensor holds {DType.TorchName()}, not {DTypes.Of<T>().TorchName()}.");
        return Data<T>()[_offset];
    }

    /// <summary>Copies the elements in row-major order into <paramref name="destination"/>.</summary>
    internal void CopyTo<T>(Span<T> destination) where T : unmanaged
    {
        if (IsContiguous) Data<T>().AsSpan(_offset, _numel).CopyTo(destination);
        else StridedCopy.ToContiguous(Data<T>(), _offset, _shape, _strides, destination[.._numel]);
    }

    /// <summary>A dense copy with no autograd bookkeeping (used by kernels and ops).</summary>
    internal Tensor DenseCopy()
    {
        var result = Tensor.Uninitialized((int[])_shape.Clone(), DType);
        switch (DType)
        {
            case DType.Float32: CopyTo(result.Span<float>()); break;
            case DType.Float64: CopyTo(result.Span<double>()); break;
            case DType.Int64: CopyTo(result.Span<long>()); break;
            default: CopyTo(result.Span<bool>()); break;
        }
        return result;
    }

    /// <summary>Element conversion with C-style truncation for floats to integers, as PyTorch's .to() does.</summary>
    internal Tensor CastCopy(DType dtype)
    {
        var src = Contiguous();
        var dst = Tensor.Uninitialized((int[])_shape.Clone(), dtype);
        switch (src.DType)
        {
            case DType.Float32: CastFrom(src.Span<float>(), dst); break;
            case DType.Float64: CastFrom(src.Span<double>(), dst); break;
            case DType.Int64: CastFrom(src.Span<long>(), dst); break;
            default: CastFromBool(src.Span<bool>(), dst); break;
        }
        return dst;
    }

    static void CastFrom<T>(ReadOnlySpan<T> src, Tensor dst) where T : unmanaged, INumber<T>
    {
        switch (dst.DType)
        {
            case DType.Float32: { var d = dst.Span<float>(); for (int i = 0; i < d.Length; i++) d[i] = float.CreateTruncating(src[i]); break; }
            case DType.Float64: { var d = dst.Span<double>(); for (int i = 0; i < d.Length; i++) d[i] = double.CreateTruncating(src[i]); break; }
            case DType.Int64: { var d = dst.Span<long>(); for (int i = 0; i < d.Length; i++) d[i] = long.CreateSaturating(src[i]); break; }
            default: { var d = dst.Span<bool>(); for (int i = 0; i < d.Length; i++) d[i] = src[i] != T.Zero; break; }
        }
    }

    static void CastFromBool(ReadOnlySpan<bool> src, Tensor dst)
    {
        for (int i = 0; i < src.Length; i++) dst._storage.SetFromDouble(i, src[i] ? 1 : 0);
    }
}
