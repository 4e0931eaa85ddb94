using System.Numerics;
using System.Runtime.InteropServices;

namespace Nabla.Optim;

/// <summary>
/// One element-wise update rule, written once on SIMD vectors: the parameter, its gradient and up to three
/// state buffers (unused ones receive a scratch vector). Hyper-parameters live in the struct's fields.
/// </summary>
internal interface IFusedRule<T> where T : unmanaged
{
    void Apply(ref Vector<T> p, Vector<T> g, ref Vector<T> s0, ref Vector<T> s1, ref Vector<T> s2);
}

/// <summary>
/// Drives a rule over a parameter in ONE pass: every element of the parameter, gradient and state is read
/// and written once, with no temporary tensors. The tail that does not fill a vector is copied into padded
/// stack vectors and run through the same rule, so there is no second (scalar) formula to keep in sync;
/// whatever the padding lanes compute is discarded.
/// </summary>
internal static class FusedUpdate
{
    public static void Run<T, TRule>(TRule rule, Span<T> p, ReadOnlySpan<T> g, Span<T> s0, Span<T> s1, Span<T> s2)
        where T : unmanaged where TRule : struct, IFusedRule<T>
    {
        int n = p.Length;
        if (g.Length != n || !Fits(s0, n) || !Fits(s1, n) || !Fits(s2, n))
            throw new InvalidOperationException("fused optimizer update: parameter, gradient and state lengths differ (internal error).");
        bool h0 = !s0.IsEmpty, h1 = !s1.IsEmpty, h2 = !s2.IsEmpty;

        var pv = MemoryMarshal.Cast<T, Vector<T>>(p);
        var gv = MemoryMarshal.Cast<T, Vector<T>>(g);
        var v0 = MemoryMarshal.Cast<T, Vector<T>>(s0);
        var v1 = MemoryMarshal.Cast<T, Vector<T>>(s1);
        var v2 = MemoryMarshal.Cast<T, Vector<T>>(s2);
        Vector<T> d0 = default, d1 = default, d2 = default;
        for (int k = 0; k < pv.Length; k++)
        {
            rule.Apply(ref pv[k], gv[k],
                ref h0 ? ref v0[k] : ref d0,
                ref h1 ? ref v1[k] : ref d1,
                ref h2 ? ref v2[k] : ref d2);
        }

        int done = pv.Length * Vector<T>.Count;
        if (done == n) return;
        Span<Vector<T>> pad = stackalloc Vector<T>[5];
        pad.Clear();
        var lanes = MemoryMarshal.Cast<Vector<T>, T>(pad);
        int w = Vector<T>.Count, rest = n - done;
        p[done..].CopyTo(lanes.Slice(0, rest));
        g[done..].CopyTo(lanes.Slice(w, rest));
        if (h0) s0[done..].CopyTo(lanes.Slice(2 * w, rest));
        if (h1) s1[done..].CopyTo(lanes.Slice(3 * w, rest));
        if (h2) s2[done..].CopyTo(lanes.Slice(4 * w, rest));
        rule.Apply(ref pad[0], pad[1], ref pad[2], ref pad[3], ref pad[4]);
        lanes.Slice(0, rest).CopyTo(p[done..]);
        if (h0) lanes.Slice(2 * w, rest).CopyTo(s0[done..]);
        if (h1) lanes.Slice(3 * w, rest).CopyTo(s1[done..]);
        if (h2) lanes.Slice(4 * w, rest).CopyTo(s2[done..]);
    }

    static bool Fits<T>(Span<T> s, int n) => s.IsEmpty || s.Length == n;

    /// <summary>A hyper-parameter broadcast to every lane, rounded to the element type as PyTorch rounds its Python scalars.</summary>
    public static Vector<T> Splat<T>(double value) where T : unmanaged, INumberBase<T> => new(T.CreateTruncating(value));

    /// <summary>The storage of a tensor's buffer as a span, or an empty span when there is no buffer.</summary>
    public static Span<T> SpanOf<T>(Tensor? t) where T : unmanaged => t is null ? default : t.Span<T>();
}
