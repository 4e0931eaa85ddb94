using Nabla.Backends.Cpu;

namespace Nabla.Tests.Backends;

/// <summary>
/// The packing routines (whose float panels go through register transposes and vector copies) against the
/// panel layout by definition: A panels hold MR rows per k step, B panels NR columns per k step, zero-padded,
/// for every depth 0–256, both transpose flags, padded leading dimensions (rows that are not contiguous with
/// each other) and a scaling alpha.
/// </summary>
public unsafe class GemmPackingTests
{
    static float[] Source(int length, int seed)
    {
        var rng = new System.Random(seed);
        var data = new float[length];
        for (int i = 0; i < length; i++) data[i] = rng.Next(-1000, 1000) / 8f;
        return data;
    }

    [Theory]
    [InlineData(12, false)]
    [InlineData(12, true)]
    [InlineData(8, false)]
    [InlineData(8, true)]
    public void PackA_lays_out_MR_rows_per_k_step(int mr, bool trans)
    {
        for (int kc = 0; kc <= 256; kc++)
            foreach (int mc in new[] { mr, 2 * mr + 5 })
                foreach (float alpha in new[] { 1f, 2.5f })
                {
                    int i0 = 3, p0 = 5, rows = i0 + mc, cols = p0 + kc;
                    int lda = (trans ? rows : cols) + 7;
                    var a = Source((trans ? cols : rows) * lda, kc);
                    int panels = (mc + mr - 1) / mr;
                    var packed = new float[panels * mr * kc + 1];
                    packed[^1] = float.NaN; // a write past the panels would show here
                    fixed (float* pa = a, pd = packed)
                        GemmPacking.PackA(pa, lda, trans, i0, mc, p0, kc, alpha, mr, pd);
                    for (int panel = 0; panel < panels; panel++)
                        for (int p = 0; p < kc; p++)
                            for (int r = 0; r < mr; r++)
                            {
                                int i = panel * mr + r;
                                float expected = i >= mc ? 0f : alpha * (trans ? a[(p0 + p) * lda + i0 + i] : a[(i0 + i) * lda + p0 + p]);
                                float actual = packed[panel * mr * kc + p * mr + r];
                                if (expected != actual)
                                    Assert.Fail($"PackA mr={mr} trans={trans} kc={kc} mc={mc} alpha={alpha}: panel {panel} k {p} row {r} is {actual}, expected {expected}");
                            }
                    Assert.True(float.IsNaN(packed[^1]));
                }
    }

    [Theory]
    [InlineData(32, false)]
    [InlineData(32, true)]
    [InlineData(16, true)]
    public void PackB_lays_out_NR_columns_per_k_step(int nr, bool trans)
    {
        for (int kc = 0; kc <= 256; kc++)
            foreach (int nc in new[] { nr, 2 * nr + 9 })
            {
                int j0 = 2, p0 = 6, rows = p0 + kc, cols = j0 + nc;
                int ldb = (trans ? rows : cols) + 5;
                var b = Source((trans ? cols : rows) * ldb, kc + 1000);
                int panels = (nc + nr - 1) / nr;
                var packed = new float[panels * nr * kc + 1];
                packed[^1] = float.NaN;
                fixed (float* pb = b, pd = packed)
                    GemmPacking.PackB(pb, ldb, trans, p0, kc, j0, nc, nr, pd);
                for (int panel = 0; panel < panels; panel++)
                    for (int p = 0; p < kc; p++)
                        for (int c = 0; c < nr; c++)
                        {
                            int j = panel * nr + c;
                            float expected = j >= nc ? 0f : trans ? b[(j0 + j) * ldb + p0 + p] : b[(p0 + p) * ldb + j0 + j];
                            float actual = packed[panel * nr * kc + p * nr + c];
                            if (expected != actual)
                                Assert.Fail($"PackB nr={nr} trans={trans} kc={kc} nc={nc}: panel {panel} k {p} column {c} is {actual}, expected {expected}");
                        }
                Assert.True(float.IsNaN(packed[^1]));
            }
    }
}
