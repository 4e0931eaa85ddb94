namespace Nabla.Data;

/// <summary>
/// A tiny deterministic generator (Steele, Lea and Flood's SplitMix64) private to the data layer, so shuffles and
/// splits depend only on the seed they are given: not on System.Random's algorithm (which .NET may change) nor on
/// any global state. The same seed gives the same sequence on every platform.
/// </summary>
internal struct SplitMix64
{
    ulong _state;

    public SplitMix64(ulong seed) => _state = seed;

    /// <summary>A generator for one (seed, stream) pair, e.g. the loader's (seed, epoch): streams do not overlap in practice.</summary>
    public static SplitMix64 For(long seed, long stream)
    {
        var g = new SplitMix64((ulong)seed);
        ulong mixed = g.Next() ^ ((ulong)stream * 0xD1B54A32D192ED03UL);
        return new SplitMix64(mixed);
    }

    public ulong Next()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A uniform integer in [0, bound), without modulo bias (Lemire's multiply-and-reject).</summary>
    public int NextInt(int bound)
    {
        if (bound <= 1) return 0;
        ulong b = (ulong)bound;
        ulong threshold = (0UL - b) % b;
        while (true)
        {
            ulong x = Next();
            ulong high = Math.BigMul(x, b, out ulong low);
            if (low >= threshold) return (int)high;
        }
    }

    /// <summary>A permutation of 0..n-1 (Fisher–Yates).</summary>
    public int[] Permutation(int n)
    {
        var p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (p[i], p[j]) = (p[j], p[i]);
        }
        return p;
    }
}
