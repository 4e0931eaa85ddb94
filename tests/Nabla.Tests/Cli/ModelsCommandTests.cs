using System.Text.Json;
using Nabla.Models;
using static Nabla.Tests.Cli.CliHarness;

namespace Nabla.Tests.Cli;

/// <summary>`nabla models`: every zoo entry with its parameter count.</summary>
public class ModelsCommandTests
{
    [Fact]
    public void TableListsEveryModelWithItsParameterCount()
    {
        var r = Run("models");
        Assert.True(r.ExitCode == 0, r.ToString());
        foreach (var name in ModelZoo.Names) Assert.Contains(name, r.Out);
        Assert.Contains("61,706", r.Out);        // LeNet-5 as PyTorch counts it
        Assert.Contains("parameters", r.Out);
    }

    [Fact]
    public void JsonHasTheRegistryCounts()
    {
        var r = Run("models", "--json");
        Assert.True(r.ExitCode == 0, r.ToString());
        var rows = JsonDocument.Parse(r.Out).RootElement.EnumerateArray().ToList();
        Assert.Equal(ModelZoo.Names, rows.Select(e => e.GetProperty("name").GetString()));
        var mlp = rows.Single(e => e.GetProperty("name").GetString() == "mlp");
        Assert.Equal(784 * 256 + 256 + 256 * 10 + 10, mlp.GetProperty("parameters").GetInt64());
        Assert.Equal("1×28×28", mlp.GetProperty("input").GetString());
        Assert.False(rows.Single(e => e.GetProperty("name").GetString() == "textcnn").GetProperty("trainable").GetBoolean());
    }

    [Fact]
    public void HelpWorksAndUnknownCommandsFail()
    {
        Assert.Equal(0, Run("models", "--help").ExitCode);
        var root = Run("--help");
        Assert.Equal(0, root.ExitCode);
        foreach (var command in new[] { "train", "eval", "models", "explain" }) Assert.Contains(command, root.Out);
        Assert.NotEqual(0, Run("trian", "lenet").ExitCode);
    }
}
