namespace Nabla;

/// <summary>
/// Everything a <see cref="Generator"/> needs to continue its stream: the four xoshiro256** words, the second
/// Box–Muller normal when one is pending, and the seed it was last given (reported by
/// <see cref="Generator.InitialSeed"/>; it does not affect the numbers). Taken with
/// <see cref="Generator.GetState"/>, restored with <see cref="Generator.SetState(GeneratorState)"/>.
/// </summary>
public readonly record struct GeneratorState(
    ulong S0, ulong S1, ulong S2, ulong S3, bool HasSpareNormal, double SpareNormal, ulong InitialSeed);
