using System.Numerics;

namespace Nabla.Backends.Cpu;

/// <summary><see cref="ErfMap"/> vectorised through <see cref="ErfSpan"/>: erf in double on vector lanes, rounded to T.</summary>
internal readonly struct ErfSpanMap : IPointwiseSpan
{
    public void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => ErfSpan.Erf(x, T.One, y);
}
