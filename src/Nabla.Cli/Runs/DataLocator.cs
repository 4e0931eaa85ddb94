using Nabla.Data;

namespace Nabla.Cli.Runs;

/// <summary>Where the Fashion-MNIST files of a run come from, and whether they are the shipped sample.</summary>
public sealed record DataSource(string Folder, bool IsSample, bool FellBack);

/// <summary>
/// Finds the Fashion-MNIST folder of a run. An explicit <c>--data</c> folder must exist (no silent fallback: the
/// user asked for that data). Otherwise the full dataset in <see cref="DefaultFolder"/> is used when all four files
/// are there, and the shipped sample (data/fashion-mnist-sample, copied next to the executable by the build, or
/// found in a parent folder of the working directory) when they are not; the caller must say so.
/// </summary>
public static class DataLocator
{
    /// <summary>Overrides the default dataset folder (e.g. a copy of Fashion-MNIST elsewhere; tests use it too).</summary>
    public const string EnvironmentVariable = "NABLA_FASHION_MNIST";

    public const string SampleFolder = "data/fashion-mnist-sample";

    static readonly string[] Files =
        ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"];

    public static string DefaultFolder =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } folder ? folder : FashionMnist.DefaultFolder;

    public static DataSource Resolve(string? folder, string command)
    {
        if (folder is not null)
        {
            if (!Directory.Exists(folder))
                throw new DirectoryNotFoundException($"{command}: the data folder '{folder}' does not exist; --data names a folder holding " +
                    "Fashion-MNIST's IDX files (train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz).");
            string full = Path.GetFullPath(folder);
            return new DataSource(full, IsSampleFolder(full), FellBack: false);
        }
        string standard = DefaultFolder;
        if (HasAllFiles(standard)) return new DataSource(Path.GetFullPath(standard), false, FellBack: false);
        var sample = FindSample()
            ?? throw new FileNotFoundException($"{command}: Fashion-MNIST is not installed in {standard} (apt-get install dataset-fashion-mnist), " +
                $"and the shipped sample {SampleFolder} is neither next to the program nor in a parent folder of {Environment.CurrentDirectory}; pass --data <folder>.");
        return new DataSource(sample, true, FellBack: true);
    }

    /// <summary>The line that tells the user a run fell back to the sample.</summary>
    /// <param name="what">what the run reads from it, e.g. "3000 training and 1000 test images".</param>
    public static string FallbackNotice(DataSource source, string what) =>
        $"note: the full Fashion-MNIST is not installed in {DefaultFolder}, so this run uses the shipped sample in {source.Folder} " +
        $"({what}; the sample is a stratified 5% of the training set and 10% of the test set), so accuracies are lower and noisier. " +
        "Install the full dataset with `apt-get install dataset-fashion-mnist` or pass --data <folder>.";

    static bool HasAllFiles(string folder) =>
        Directory.Exists(folder) && Files.All(f => File.Exists(Path.Combine(folder, f + ".gz")) || File.Exists(Path.Combine(folder, f)));

    static bool IsSampleFolder(string folder) =>
        Path.TrimEndingDirectorySeparator(folder).Replace('\\', '/').EndsWith(SampleFolder, StringComparison.Ordinal);

    static string? FindSample()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, SampleFolder);
                if (HasAllFiles(candidate)) return candidate;
            }
        return null;
    }
}
