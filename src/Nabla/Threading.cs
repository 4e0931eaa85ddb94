using Nabla.Backends.Cpu;

namespace Nabla;

/// <summary>How many cores Nabla's kernels may use (PyTorch's torch.set_num_threads).</summary>
public static class Threading
{
    /// <summary>Upper bound on worker threads for one kernel call; defaults to every core.</summary>
    public static int NumThreads
    {
        get => Gemm.MaxThreads;
        set
        {
            if (value < 1) throw new ArgumentOutOfRangeException(nameof(value), $"set_num_threads: needs at least 1 thread, got {value}.");
            Gemm.MaxThreads = value;
        }
    }
}
