namespace Nabla.Text;

/// <summary>
/// Finds the corpora the repository ships (data/text, data/sentiment). The build copies them next to every
/// executable that references Nabla; from a checkout they are also found in a parent folder of the working
/// directory. An explicit path is used as given (no fallback: the caller asked for that file).
/// </summary>
public static class TextData
{
    /// <summary>The shipped folder of the language-model corpora (The Time Machine, Penn Treebank).</summary>
    public const string TextFolder = "data/text";

    /// <summary>The shipped folder of the sentiment sentences.</summary>
    public const string SentimentFolder = "data/sentiment";

    /// <summary>
    /// The path of <paramref name="file"/> inside the shipped <paramref name="folder"/> (e.g. "data/text"): next to
    /// the program or in one of its parent folders, else in the working directory or one of its parents.
    /// </summary>
    /// <exception cref="FileNotFoundException">naming the file and every place looked.</exception>
    public static string Find(string folder, string file, string what)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        ArgumentException.ThrowIfNullOrEmpty(file);
        string relative = Path.Combine(folder, file);
        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, relative);
                if (File.Exists(candidate)) return candidate;
            }
        throw new FileNotFoundException(
            $"{what}: {relative} is neither next to the program ({AppContext.BaseDirectory}) nor in a parent folder of it or of the working " +
            $"directory ({Environment.CurrentDirectory}). The repository ships it in {folder}/ and the build copies it next to the executable; " +
            "rebuild, run from a checkout, or pass the path explicitly.", relative);
    }

    /// <summary>The folder holding the shipped <paramref name="file"/>; an explicit <paramref name="folder"/> must exist.</summary>
    internal static string Resolve(string? explicitFolder, string shippedFolder, string file, string what)
    {
        if (explicitFolder is null) return Path.GetDirectoryName(Find(shippedFolder, file, what))!;
        if (!Directory.Exists(explicitFolder))
            throw new DirectoryNotFoundException($"{what}: the folder '{explicitFolder}' does not exist (it should hold {file}; the repository ships it in {shippedFolder}/).");
        return explicitFolder;
    }
}
