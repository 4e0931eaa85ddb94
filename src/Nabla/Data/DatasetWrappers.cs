namespace Nabla.Data;

// The lazy views behind Dataset's extension methods. Each checks its own index so an out-of-range read names
// the wrapper that received it, not some dataset deep inside.

internal sealed class ListDataset<T>(IReadOnlyList<T> items) : IDataset<T>
{
    public int Count => items.Count;

    public T Get(int index)
    {
        Dataset.CheckIndex(index, items.Count, "dataset");
        return items[index];
    }
}

internal sealed class MappedDataset<T, TResult>(IDataset<T> source, Func<T, TResult> transform) : IDataset<TResult>
{
    public int Count => source.Count;

    public TResult Get(int index)
    {
        Dataset.CheckIndex(index, source.Count, "map");
        return transform(source.Get(index));
    }
}

internal sealed class SubsetDataset<T> : IDataset<T>
{
    readonly IDataset<T> _source;
    readonly int[] _indices;

    public SubsetDataset(IDataset<T> source, int[] indices, bool checkIndices)
    {
        _source = source;
        _indices = indices;
        if (!checkIndices) return;
        for (int i = 0; i < indices.Length; i++)
            if ((uint)indices[i] >= (uint)source.Count)
                throw new IndexOutOfRangeException($"subset: index {indices[i]} (entry {i}) is out of range for a dataset of {source.Count} items.");
    }

    public int Count => _indices.Length;

    /// <summary>The source indices this view reads, in order (tests and splits use it).</summary>
    internal ReadOnlySpan<int> Indices => _indices;

    public T Get(int index)
    {
        Dataset.CheckIndex(index, _indices.Length, "subset");
        return _source.Get(_indices[index]);
    }
}

internal sealed class ConcatDataset<T> : IDataset<T>
{
    readonly IDataset<T>[] _parts;
    readonly int[] _ends; // cumulative counts, taken when the view is made (datasets do not change size)

    public ConcatDataset(IDataset<T>[] parts)
    {
        _parts = parts;
        _ends = new int[parts.Length];
        long end = 0;
        for (int i = 0; i < parts.Length; i++)
        {
            end += parts[i].Count;
            if (end > int.MaxValue) throw new ArgumentException($"concat: the datasets hold {end} items together, more than {int.MaxValue}.");
            _ends[i] = (int)end;
        }
    }

    public int Count => _ends[^1];

    public T Get(int index)
    {
        Dataset.CheckIndex(index, Count, "concat");
        // The first part whose end lies past index; binary search keeps many small parts cheap.
        int lo = 0, hi = _ends.Length - 1;
        while (lo < hi)
        {
            int mid = (lo + hi) >> 1;
            if (_ends[mid] > index) hi = mid; else lo = mid + 1;
        }
        int start = lo == 0 ? 0 : _ends[lo - 1];
        return _parts[lo].Get(index - start);
    }
}
