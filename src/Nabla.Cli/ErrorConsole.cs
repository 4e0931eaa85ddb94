using Spectre.Console;

namespace Nabla.Cli;

/// <summary>
/// The console for errors, notes and --json progress (stderr in the real program), as its own type so commands can
/// take it next to the normal <see cref="IAnsiConsole"/> from Spectre's type registrar.
/// </summary>
public sealed class ErrorConsole(IAnsiConsole console)
{
    public IAnsiConsole Console { get; } = console;
}
