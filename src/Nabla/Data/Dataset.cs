namespace Nabla.Data;

/// <summary>
/// Building and composing datasets. Every wrapper is a lazy view over its source (it stores at most an index
/// array), so wrapping a large in-memory dataset costs nothing per item.
/// </summary>
public static class Dataset
{
    /// <summary>A dataset over a list that is already in memory (the list is not copied).</summary>
    public static IDataset<T> FromList<T>(IReadOnlyList<T> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        return new ListDataset<T>(items);
    }

    /// <summary>The items in a fixed random order drawn from <paramref name="seed"/> (the same seed, the same order).</summary>
    public static IDataset<T> Shuffle<T>(this IDataset<T> source, int seed)
    {
        ArgumentNullException.ThrowIfNull(source);
        return new SubsetDataset<T>(source, SplitMix64.For(seed, 0).Permutation(source.Count), checkIndices: false);
    }

    /// <summary>Each item passed through <paramref name="transform"/> when it is read (on the loader's worker thread).</summary>
    public static IDataset<TResult> Map<T, TResult>(this IDataset<T> source, Func<T, TResult> transform)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(transform);
        return new MappedDataset<T, TResult>(source, transform);
    }

    /// <summary>The items at <paramref name="indices"/>, in that order (repeats allowed). The array is copied.</summary>
    public static IDataset<T> Subset<T>(this IDataset<T> source, IReadOnlyList<int> indices)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(indices);
        return new SubsetDataset<T>(source, indices.ToArray(), checkIndices: true);
    }

    /// <summary>The items of <paramref name="first"/> followed by those of <paramref name="others"/>.</summary>
    public static IDataset<T> Concat<T>(this IDataset<T> first, params IDataset<T>[] others)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(others);
        var parts = new IDataset<T>[others.Length + 1];
        parts[0] = first;
        for (int i = 0; i < others.Length; i++)
            parts[i + 1] = others[i] ?? throw new ArgumentNullException(nameof(others), $"concat: dataset {i + 1} is null.");
        return new ConcatDataset<T>(parts);
    }

    /// <summary>
    /// Splits the items into disjoint random parts with the given sizes, which must add up to the dataset's count
    /// (torch.utils.data.random_split). The split depends only on <paramref name="seed"/>.
    /// </summary>
    public static IDataset<T>[] RandomSplit<T>(this IDataset<T> source, int[] counts, int seed)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(counts);
        if (counts.Length == 0) throw new ArgumentException("random_split: expected at least one part size.");
        long total = 0;
        foreach (int c in counts)
        {
            if (c < 0) throw new ArgumentException($"random_split: part sizes must not be negative, got [{string.Join(", ", counts)}].");
            total += c;
        }
        if (total != source.Count)
            throw new ArgumentException($"random_split: part sizes [{string.Join(", ", counts)}] add up to {total}, but the dataset has {source.Count} items.");
        var order = SplitMix64.For(seed, 0).Permutation(source.Count);
        var parts = new IDataset<T>[counts.Length];
        int start = 0;
        for (int i = 0; i < counts.Length; i++)
        {
            parts[i] = new SubsetDataset<T>(source, order[start..(start + counts[i])], checkIndices: false);
            start += counts[i];
        }
        return parts;
    }

    /// <summary>
    /// Splits by fractions that add up to 1, e.g. [0.8, 0.2]. Each part gets floor(fraction × count) items and the
    /// items left over go one each to the first parts, round-robin (PyTorch's rule), so no item is lost.
    /// </summary>
    public static IDataset<T>[] RandomSplit<T>(this IDataset<T> source, double[] fractions, int seed)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(fractions);
        if (fractions.Length == 0) throw new ArgumentException("random_split: expected at least one fraction.");
        double sum = 0;
        foreach (double f in fractions)
        {
            if (!(f >= 0 && f <= 1)) throw new ArgumentException($"random_split: fractions must lie in [0, 1], got [{string.Join(", ", fractions)}].");
            sum += f;
        }
        if (Math.Abs(sum - 1) > 1e-6)
            throw new ArgumentException($"random_split: fractions [{string.Join(", ", fractions)}] add up to {sum}, not 1.");
        int n = source.Count;
        var counts = new int[fractions.Length];
        int assigned = 0;
        for (int i = 0; i < counts.Length; i++) { counts[i] = (int)Math.Floor(fractions[i] * n); assigned += counts[i]; }
        for (int i = 0; assigned < n; i = (i + 1) % counts.Length) { counts[i]++; assigned++; }
        return RandomSplit(source, counts, seed);
    }

    /// <summary>A train/validation split holding out <paramref name="validationFraction"/> of the items.</summary>
    public static (IDataset<T> Train, IDataset<T> Validation) TrainValidationSplit<T>(this IDataset<T> source, double validationFraction, int seed)
    {
        if (!(validationFraction >= 0 && validationFraction <= 1))
            throw new ArgumentException($"train_validation_split: the validation fraction must lie in [0, 1], got {validationFraction}.");
        var parts = RandomSplit(source, [1 - validationFraction, validationFraction], seed);
        return (parts[0], parts[1]);
    }

    /// <summary>All items read into a list (for small datasets and tests).</summary>
    public static List<T> ToList<T>(this IDataset<T> source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var list = new List<T>(source.Count);
        for (int i = 0; i < source.Count; i++) list.Add(source.Get(i));
        return list;
    }

    internal static void CheckIndex(int index, int count, string what)
    {
        if ((uint)index >= (uint)count)
            throw new IndexOutOfRangeException($"{what}: index {index} is out of range for a dataset of {count} items.");
    }
}
