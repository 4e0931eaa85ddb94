using Nabla.Backends.Cpu.Conv;

namespace Nabla.Tests.Backends;

/// <summary>
/// The vectorised float 2×2/2 max pooling against the generic window loop, bit for bit (values, including the sign
/// of zero, and indices), for every output width 0–70 with even and odd input widths, on values full of ties,
/// NaNs, infinities and signed zeros (windows per plane 0–280, so every vector remainder occurs).
/// </summary>
public class Pool2x2MaxVectorTests
{
    static float[] Input(int n, int seed)
    {
        var rng = new System.Random(seed);
        float[] specials = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0f, -0f];
        var x = new float[n];
        for (int i = 0; i < n; i++)
            x[i] = rng.Next(12) == 0 ? specials[rng.Next(specials.Length)] : MathF.Round((float)rng.NextDouble() * 6) - 3;
        return x;
    }

    [Fact]
    public void Matches_the_generic_loop_for_every_width()
    {
        for (int outW = 0; outW <= 70; outW++)
            foreach (int extra in new[] { 0, 1 })
                foreach (int h in new[] { 2, 5, 8 })
                {
                    int w = 2 * outW + extra;
                    if (w == 0) continue;
                    var g = new ConvGeometry(h, w, 2, 2, 2, 2);
                    const int planes = 3;
                    int outPlane = g.OutH * g.OutW;
                    var x = Input(planes * h * w, outW * 10 + extra * 5 + h);
                    var y = new float[planes * outPlane]; var idx = new long[y.Length];
                    var yRef = new float[y.Length]; var idxRef = new long[y.Length];
                    PoolKernels.MaxForwardRange<float>(x, 0, planes, g, y, idx);
                    PoolKernels.MaxForwardRange<float>(x, 0, planes, g, yRef, idxRef, generic: true);
                    for (int i = 0; i < y.Length; i++)
                    {
                        if (BitConverter.SingleToInt32Bits(y[i]) != BitConverter.SingleToInt32Bits(yRef[i]) || idx[i] != idxRef[i])
                            Assert.Fail($"{h}×{w}, output {i}: got {y[i]} at {idx[i]}, expected {yRef[i]} at {idxRef[i]}");
                    }
                }
    }
}
