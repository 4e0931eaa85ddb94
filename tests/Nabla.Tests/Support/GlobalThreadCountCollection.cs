namespace Nabla.Tests.Support;

/// <summary>
/// Tests that set the process-wide thread count (<c>Threading.NumThreads</c>, <c>Gemm.MaxThreads</c>). Run side by
/// side, one would change the count under another: a split it checks would silently run on one thread, or an
/// allocation count would take in another path's. They run one at a time; other tests still run beside them,
/// and those give the same bits on any thread count.
/// </summary>
[CollectionDefinition(Name)]
public sealed class GlobalThreadCountCollection
{
    public const string Name = "GlobalThreadCount";
}
