namespace Nabla;

/// <summary>
/// The run's global random source: <c>Nabla.Random.Seed(42)</c> makes every creation function and layer
/// initialiser that takes no explicit <see cref="Generator"/> reproducible.
/// </summary>
/// <remarks>
/// Like PyTorch, the global generator starts from a fixed default seed, so a program that never seeds still
/// gives the same numbers on every run. It is NOT thread-safe: it is meant to be used from one thread at a
/// time (model construction, the training loop). Code that draws random numbers on several threads at once
/// (data-loader workers, parallel augmentation) must give each thread its own generator, e.g.
/// <c>Random.Global.Spawn()</c> created before the threads start, so results stay deterministic.
/// </remarks>
public static class Random
{
    /// <summary>PyTorch's default seed; any fixed value would do, this one is familiar.</summary>
    public const ulong DefaultSeed = 67280421310721UL;

    /// <summary>The generator used when a function is given none.</summary>
    public static Generator Global { get; } = new(DefaultSeed);

    /// <summary>Reseeds the global generator (PyTorch's torch.manual_seed).</summary>
    public static void Seed(ulong seed) => Global.Seed(seed);

    /// <summary>Reseeds the global generator; negative seeds are allowed and map to distinct streams.</summary>
    public static void Seed(long seed) => Global.Seed(unchecked((ulong)seed));

    /// <summary>A new, independent generator seeded from the global stream.</summary>
    public static Generator Spawn() => Global.Spawn();

    /// <summary>The generator to use: the given one, or the global one.</summary>
    internal static Generator Or(Generator? generator) => generator ?? Global;
}
