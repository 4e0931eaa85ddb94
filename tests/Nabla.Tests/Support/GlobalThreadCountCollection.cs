namespace Nabla.Tests.Support;

/// <summary>
/// Tests that set the process-wide thread count (<c>Threading.NumThreads</c>, <c>Gemm.MaxThreads</c>). Run side by
/// side, one would change the count under another: a split it checks would silently run on one thread, or an
/// allocation count would take in another path's. They run one at a time and with no other test beside them:
/// several count the bytes a warm threaded kernel allocates, and another test's job holding the worker pool
/// sends their calls down the inline path, which their warm-up may not have run.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GlobalThreadCountCollection
{
    public const string Name = "GlobalThreadCount";
}
