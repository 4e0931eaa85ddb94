using Nabla.Autograd;
using Nabla.Tests.Support;

namespace Nabla.Tests.Models;

/// <summary>
/// Small zoo configurations loaded with PyTorch's weights (LoadStateDict, running statistics included) give
/// PyTorch's logits to 1e-4, in train mode (batch statistics) and eval mode (running statistics) where they differ.
/// </summary>
public class ZooLogitTests
{
    public static IEnumerable<object[]> Cases => ZooFixture.Logits().Select(c => new object[] { c.Name });

    [Theory]
    [MemberData(nameof(Cases))]
    public void LogitsMatchPyTorchWithTheSameWeights(string name)
    {
        var c = ZooFixture.Logits().Single(x => x.Name == name);
        var model = ZooFixture.LogitModels[name]();
        var result = model.LoadStateDict(c.State);
        Assert.Empty(result.MissingKeys);
        Assert.Empty(result.UnexpectedKeys);
        foreach (var (mode, expected) in c.Outputs)
        {
            // PyTorch ran every mode from the saved state; train mode moves the running statistics, so reload.
            model.LoadStateDict(c.State);
            model.Train(mode == "train");
            using (new NoGrad())
                TensorAssert.Close(expected, model.Forward(c.Input), rtol: 1e-4, atol: 1e-4, what: $"{name} ({mode})");
        }
    }

    [Fact]
    public void TrainModeForwardMovesTheRunningStatisticsLikePyTorch()
    {
        // After one train-mode forward the running mean of the first BatchNorm must have moved by momentum 0.1
        // towards the batch mean: a model whose BatchNorm silently ran in eval mode would leave it unchanged.
        var c = ZooFixture.Logits().Single(x => x.Name == "resnet18_small_w3");
        var model = ZooFixture.LogitModels[c.Name]();
        model.LoadStateDict(c.State);
        model.Train();
        using (new NoGrad()) model.Forward(c.Input);
        Assert.NotEqual(TensorAssert.Flat(c.State["0.1.running_mean"]), TensorAssert.Flat(model.StateDict()["0.1.running_mean"]));
        Assert.Equal(4.0, TensorAssert.Flat(model.StateDict()["0.1.num_batches_tracked"])[0]);
    }
}
