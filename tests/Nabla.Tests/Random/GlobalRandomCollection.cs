namespace Nabla.Tests.RandomTests;

/// <summary>
/// Tests that seed or draw from the global generator (Nabla.Random.Global) run one at a time: the global
/// generator is single-threaded by design, and a parallel test drawing from it would shift another's stream.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GlobalRandomCollection
{
    public const string Name = "GlobalRandom";
}
