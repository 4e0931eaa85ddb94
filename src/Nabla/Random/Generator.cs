using System.Runtime.CompilerServices;

namespace Nabla;

/// <summary>
/// A seeded pseudo-random source: xoshiro256** (Blackman and Vigna) for the bits, seeded through splitmix64 so
/// that nearby seeds give unrelated streams. Same seed, same calls → same numbers, on every platform.
/// </summary>
/// <remarks>
/// A Generator is not thread-safe: use one from one thread at a time, or give each thread its own
/// (see <see cref="Spawn"/>). The creation functions (Tensor.Rand, Randn, Randint...) take an optional
/// Generator and use <see cref="Random.Global"/> when none is given.
/// </remarks>
public sealed class Generator
{
    ulong _s0, _s1, _s2, _s3;

    // Normals come in pairs from Box–Muller; the second one is kept for the next call.
    // It is part of the state, so Seed clears it.
    double _spareNormal;
    bool _hasSpare;

    /// <summary>A generator seeded with <paramref name="seed"/>.</summary>
    public Generator(ulong seed) => Seed(seed);

    /// <summary>The seed most recently given to <see cref="Seed"/> (or the constructor).</summary>
    public ulong InitialSeed { get; private set; }

    /// <summary>Restarts the stream from <paramref name="seed"/>.</summary>
    public Generator Seed(ulong seed)
    {
        InitialSeed = seed;
        // splitmix64 spreads the seed over all 256 state bits; it never yields an all-zero state in practice,
        // but xoshiro must not start from zero, so guard anyway.
        ulong x = seed;
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
        if ((_s0 | _s1 | _s2 | _s3) == 0) _s0 = 1;
        _hasSpare = false;
        return this;
    }

    /// <summary>Sets the raw xoshiro state (known-answer tests against the reference implementation).</summary>
    internal void SetState(ulong s0, ulong s1, ulong s2, ulong s3)
    {
        (_s0, _s1, _s2, _s3) = (s0, s1, s2, s3);
        _hasSpare = false;
    }

    static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>64 uniformly random bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong NextUInt64()
    {
        ulong result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1) with 53 random bits (every double of the form k·2⁻⁵³).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [0, 1) with 24 random bits (every float of the form k·2⁻²⁴).</summary>
    public float NextSingle() => (NextUInt64() >> 40) * (1.0f / (1 << 24));

    /// <summary>A standard normal sample (Box–Muller: deterministic, two samples per pair of uniforms).</summary>
    public double NextNormal()
    {
        if (_hasSpare)
        {
            _hasSpare = false;
            return _spareNormal;
        }
        NormalPair(out double z0, out _spareNormal);
        _hasSpare = true;
        return z0;
    }

    /// <summary>A normal sample with the given mean and standard deviation.</summary>
    public double NextNormal(double mean, double std) => mean + std * NextNormal();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    void NormalPair(out double z0, out double z1)
    {
        // 1 - u lies in (0, 1], so the logarithm is finite.
        double u1 = 1.0 - NextDouble();
        double u2 = NextDouble();
        double r = Math.Sqrt(-2.0 * Math.Log(u1));
        (double sin, double cos) = Math.SinCos(2.0 * Math.PI * u2);
        z0 = r * cos;
        z1 = r * sin;
    }

    /// <summary>A uniformly chosen integer in [<paramref name="low"/>, <paramref name="high"/>), without modulo bias.</summary>
    public long NextInt64(long low, long high)
    {
        if (low >= high)
            throw new ArgumentException($"random_: expects low < high, got low={low} and high={high}.");
        ulong range = (ulong)(high - low); // two's complement: correct even when high - low overflows long
        return low + (long)NextBelow(range);
    }

    /// <summary>Lemire's multiply-and-reject: uniform in [0, range) for range ≥ 1.</summary>
    ulong NextBelow(ulong range)
    {
        ulong hi = Math.BigMul(NextUInt64(), range, out ulong lo);
        if (lo < range)
        {
            ulong threshold = (0 - range) % range; // 2^64 mod range
            while (lo < threshold)
                hi = Math.BigMul(NextUInt64(), range, out lo);
        }
        return hi;
    }

    /// <summary>A new generator whose seed is drawn from this one: independent streams for workers or modules.</summary>
    public Generator Spawn() => new(NextUInt64());

    // ---- bulk fills used by the tensor creation functions ----

    internal void FillUniform(Span<float> dst)
    {
        for (int i = 0; i < dst.Length; i++) dst[i] = NextSingle();
    }

    internal void FillUniform(Span<double> dst)
    {
        for (int i = 0; i < dst.Length; i++) dst[i] = NextDouble();
    }

    /// <summary>Fills with standard normals. Pairs are written directly; a leftover sample goes through NextNormal.</summary>
    internal void FillNormal(Span<double> dst)
    {
        int i = 0;
        if (_hasSpare && dst.Length > 0) dst[i++] = NextNormal();
        for (; i + 1 < dst.Length; i += 2) NormalPair(out dst[i], out dst[i + 1]);
        if (i < dst.Length) dst[i] = NextNormal();
    }

    internal void FillNormal(Span<float> dst)
    {
        int i = 0;
        if (_hasSpare && dst.Length > 0) dst[i++] = (float)NextNormal();
        for (; i + 1 < dst.Length; i += 2)
        {
            NormalPair(out double z0, out double z1);
            dst[i] = (float)z0;
            dst[i + 1] = (float)z1;
        }
        if (i < dst.Length) dst[i] = (float)NextNormal();
    }

    internal void FillInt64(Span<long> dst, long low, long high)
    {
        ulong range = (ulong)(high - low);
        for (int i = 0; i < dst.Length; i++) dst[i] = low + (long)NextBelow(range);
    }
}
