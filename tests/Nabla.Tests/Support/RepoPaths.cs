namespace Nabla.Tests.Support;

/// <summary>Finds files the tests read from the repository (shipped data) and from the shared folder beside it.</summary>
public static class RepoPaths
{
    /// <summary>The repository root: the first folder above the test binaries that holds Nabla.slnx.</summary>
    public static string Root { get; } = FindRoot();

    static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Nabla.slnx"))) return dir.FullName;
        throw new InvalidOperationException($"No Nabla.slnx above {AppContext.BaseDirectory}; tests must run from a checkout.");
    }

    public static string InRepo(params string[] parts) => Path.Combine([Root, .. parts]);

    /// <summary>
    /// A file of the shared data folder: ../shared beside the checkout (developers and CI), or /work/shared
    /// (helpers' worktrees live elsewhere). Fails with the places it looked.
    /// </summary>
    public static string SharedData(params string[] parts)
    {
        string[] roots = [Path.Combine(Root, "..", "shared", "data"), "/work/shared/data"];
        foreach (var r in roots)
        {
            var path = Path.Combine([r, .. parts]);
            if (File.Exists(path)) return Path.GetFullPath(path);
        }
        throw new FileNotFoundException($"shared data file {Path.Combine(parts)} not found under {string.Join(" or ", roots)}.");
    }
}

/// <summary>A fresh temporary folder, deleted with its contents on Dispose.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "nabla-test-" + Guid.NewGuid().ToString("N"));

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}
