namespace Nabla.Cli.Runs;

/// <summary>
/// The pictures are the one part of the CLI that needs a native library (SkiaSharp's libSkiaSharp, via ScottPlot).
/// Where it cannot load (an unusual platform), a run must not lose its training: the picture is skipped with a
/// warning and everything else is written as usual.
/// </summary>
public static class PlotRenderer
{
    /// <summary>Runs <paramref name="draw"/>; returns false after warning when the native renderer is unavailable.</summary>
    public static bool TryDraw(Action draw, string what, Action<string> warn)
    {
        try
        {
            draw();
            return true;
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or EntryPointNotFoundException or BadImageFormatException)
        {
            warn($"warning: could not draw {what}: SkiaSharp's native library is not usable on this platform ({e.GetBaseException().Message}); " +
                "everything else was written.");
            return false;
        }
    }
}
