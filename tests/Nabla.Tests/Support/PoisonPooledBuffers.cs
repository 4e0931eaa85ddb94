using System.Runtime.CompilerServices;
using Nabla.Backends.Cpu;

namespace Nabla.Tests.Support;

/// <summary>
/// Every test's backward passes recycle all their buffers, however small (the library keeps only those of 16 KB
/// and more), and reused buffers are poisoned (all-ones bits, NaN for floats) before they are lent out
/// uninitialized. So each op's backward, through its golden, gradient-check and training tests, is held to the
/// recycling's rule (it keeps nothing it allocated), and a kernel that leaves part of an output unwritten turns a
/// check red instead of passing on whatever the previous owner left there.
/// </summary>
static class PoisonPooledBuffers
{
    [ModuleInitializer]
    internal static void TurnOn()
    {
        BufferPool.MinBytes = 1;
        StorageLease.PoisonReusedBuffers = true;
    }
}
