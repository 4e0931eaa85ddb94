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
    Xoshiro _state;

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
        // splitmix64 spreads the seed over all 256 state bits. xoshiro must not start from all zeros;
        // splitmix64 cannot produce four zero outputs in a row, but guard anyway.
        ulong x = seed;
        _state.S0 = SplitMix(ref x);
        _state.S1 = SplitMix(ref x);
        _state.S2 = SplitMix(ref x);
        _state.S3 = SplitMix(ref x);
        if ((_state.S0 | _state.S1 | _state.S2 | _state.S3) == 0) _state.S0 = 1;
        _hasSpare = false;
        return this;
    }

    /// <summary>Sets the raw xoshiro state (known-answer tests against the reference implementation).</summary>
    internal void SetState(ulong s0, ulong s1, ulong s2, ulong s3)
    {
        _state = new Xoshiro { S0 = s0, S1 = s1, S2 = s2, S3 = s3 };
        _hasSpare = false;
    }

    /// <summary>
    /// A snapshot of the complete state (torch's <c>Generator.get_state</c>): the xoshiro words, the pending
    /// Box–Muller normal and the seed. <see cref="SetState(GeneratorState)"/> of it continues the stream exactly
    /// where it was, so a training checkpoint can resume dropout masks and augmentations bit for bit.
    /// </summary>
    public GeneratorState GetState() =>
        new(_state.S0, _state.S1, _state.S2, _state.S3, _hasSpare, _hasSpare ? _spareNormal : 0.0, InitialSeed);

    /// <summary>Restores a state taken with <see cref="GetState"/> (torch's <c>Generator.set_state</c>).</summary>
    public void SetState(GeneratorState state)
    {
        // xoshiro's all-zero state is a fixed point (it would emit zeros forever); no GetState can return it.
        if ((state.S0 | state.S1 | state.S2 | state.S3) == 0)
            throw new ArgumentException("generator: set_state got the all-zero xoshiro256** state, which no generator can be in; the state is corrupt.", nameof(state));
        if (state.HasSpareNormal && !double.IsFinite(state.SpareNormal))
            throw new ArgumentException($"generator: set_state got a pending normal sample of {state.SpareNormal}, which Box–Muller never produces; the state is corrupt.", nameof(state));
        _state = new Xoshiro { S0 = state.S0, S1 = state.S1, S2 = state.S2, S3 = state.S3 };
        _hasSpare = state.HasSpareNormal;
        _spareNormal = state.HasSpareNormal ? state.SpareNormal : 0.0;
        InitialSeed = state.InitialSeed;
    }

    static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>64 uniformly random bits.</summary>
    public ulong NextUInt64() => _state.Next();

    /// <summary>Uniform in [0, 1) with 53 random bits (every double of the form k·2⁻⁵³).</summary>
    public double NextDouble() => ToDouble(_state.Next());

    /// <summary>Uniform in [0, 1) with 24 random bits (every float of the form k·2⁻²⁴).</summary>
    public float NextSingle() => ToSingle(_state.Next());

    /// <summary>A standard normal sample (Box–Muller: deterministic, two samples per pair of uniforms).</summary>
    public double NextNormal()
    {
        if (_hasSpare)
        {
            _hasSpare = false;
            return _spareNormal;
        }
        NormalPair(ref _state, out double z0, out _spareNormal);
        _hasSpare = true;
        return z0;
    }

    /// <summary>A normal sample with the given mean and standard deviation.</summary>
    public double NextNormal(double mean, double std) => mean + std * NextNormal();

    /// <summary>A uniformly chosen integer in [<paramref name="low"/>, <paramref name="high"/>), without modulo bias.</summary>
    public long NextInt64(long low, long high)
    {
        if (low >= high)
            throw new ArgumentException($"random_: expects low < high, got low={low} and high={high}.");
        ulong range = (ulong)(high - low); // two's complement: correct even when high - low overflows long
        return low + (long)NextBelow(ref _state, range);
    }

    /// <summary>A new generator whose seed is drawn from this one: independent streams for workers or modules.</summary>
    public Generator Spawn() => new(_state.Next());

    // ---- bulk fills used by the tensor creation functions ----
    // They copy the state into a local so the loop keeps it in registers, and skip tiered JIT
    // (AggressiveOptimization) because they run rarely but over millions of elements.

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void FillUniform(Span<float> dst)
    {
        var s = _state;
        for (int i = 0; i < dst.Length; i++) dst[i] = ToSingle(s.Next());
        _state = s;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void FillUniform(Span<double> dst)
    {
        var s = _state;
        for (int i = 0; i < dst.Length; i++) dst[i] = ToDouble(s.Next());
        _state = s;
    }

    /// <summary>Fills with standard normals, drawing exactly what the same number of NextNormal calls would.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void FillNormal(Span<double> dst)
    {
        int i = 0;
        if (_hasSpare && dst.Length > 0) dst[i++] = NextNormal();
        var s = _state;
        for (; i + 1 < dst.Length; i += 2) NormalPair(ref s, out dst[i], out dst[i + 1]);
        _state = s;
        if (i < dst.Length) dst[i] = NextNormal();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void FillNormal(Span<float> dst)
    {
        int i = 0;
        if (_hasSpare && dst.Length > 0) dst[i++] = (float)NextNormal();
        var s = _state;
        for (; i + 1 < dst.Length; i += 2)
        {
            NormalPair(ref s, out double z0, out double z1);
            dst[i] = (float)z0;
            dst[i + 1] = (float)z1;
        }
        _state = s;
        if (i < dst.Length) dst[i] = (float)NextNormal();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void FillInt64(Span<long> dst, long low, long high)
    {
        ulong range = (ulong)(high - low);
        var s = _state;
        for (int i = 0; i < dst.Length; i++) dst[i] = low + (long)NextBelow(ref s, range);
        _state = s;
    }

    static double ToDouble(ulong bits) => (bits >> 11) * (1.0 / (1UL << 53));

    static float ToSingle(ulong bits) => (bits >> 40) * (1.0f / (1 << 24));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void NormalPair(ref Xoshiro s, out double z0, out double z1)
    {
        // 1 - u lies in (0, 1], so the logarithm is finite.
        double u1 = 1.0 - ToDouble(s.Next());
        double u2 = ToDouble(s.Next());
        double r = Math.Sqrt(-2.0 * Math.Log(u1));
        (double sin, double cos) = Math.SinCos(2.0 * Math.PI * u2);
        z0 = r * cos;
        z1 = r * sin;
    }

    /// <summary>Lemire's multiply-and-reject: uniform in [0, range) for range ≥ 1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static ulong NextBelow(ref Xoshiro s, ulong range)
    {
        ulong hi = Math.BigMul(s.Next(), range, out ulong lo);
        if (lo < range)
        {
            ulong threshold = (0 - range) % range; // 2^64 mod range
            while (lo < threshold)
                hi = Math.BigMul(s.Next(), range, out lo);
        }
        return hi;
    }

    /// <summary>The 256-bit xoshiro256** state and step.</summary>
    struct Xoshiro
    {
        public ulong S0, S1, S2, S3;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public ulong Next()
        {
            ulong result = ulong.RotateLeft(S1 * 5, 7) * 9;
            ulong t = S1 << 17;
            S2 ^= S0;
            S3 ^= S1;
            S1 ^= S2;
            S0 ^= S3;
            S2 ^= t;
            S3 = ulong.RotateLeft(S3, 45);
            return result;
        }
    }
}
