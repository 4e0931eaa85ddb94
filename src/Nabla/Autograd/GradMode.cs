namespace Nabla.Autograd;

/// <summary>Whether operations are being recorded on this thread.</summary>
public static class GradMode
{
    [ThreadStatic] static int _disabledDepth;

    public static bool IsEnabled => _disabledDepth == 0;

    internal static void Push() => _disabledDepth++;
    internal static void Pop() => _disabledDepth--;
}

/// <summary>
/// A scope in which nothing is recorded for differentiation (evaluation, optimizer updates):
/// <c>using (new NoGrad()) { ... }</c>.
/// </summary>
public readonly struct NoGrad : IDisposable
{
    readonly bool _active;

    public NoGrad()
    {
        _active = true;
        GradMode.Push();
    }

    public void Dispose()
    {
        if (_active) GradMode.Pop();
    }
}
