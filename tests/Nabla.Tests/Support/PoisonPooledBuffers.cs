using System.Runtime.CompilerServices;

namespace Nabla.Tests.Support;

/// <summary>
/// Every test runs with reused backward buffers poisoned (all-ones bits, NaN for floats) before they are lent out
/// uninitialized. A kernel that leaves part of such an output unwritten then turns a golden or gradient check red
/// instead of passing on whatever the previous owner left there.
/// </summary>
static class PoisonPooledBuffers
{
    [ModuleInitializer]
    internal static void TurnOn() => StorageLease.PoisonReusedBuffers = true;
}
