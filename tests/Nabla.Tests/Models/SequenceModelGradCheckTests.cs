using Nabla.Models.Translation;
using Nabla.Models.Vision;
using Nabla.NN;
using Nabla.Tests.Support;

namespace Nabla.Tests.Models;

/// <summary>
/// Float64 finite-difference checks of whole sequence models through padded batches: every parameter is replaced
/// by a check input, so the gradient of each one through the masking (textCNN's pooling inside each sentence,
/// the attention decoder's source-length mask) is checked, not only the layers' own tested gradients.
/// </summary>
public class SequenceModelGradCheckTests
{
    /// <summary>Checks <paramref name="run"/> with respect to every parameter of <paramref name="model"/>.</summary>
    static void CheckParameters(Module model, Func<Tensor> run)
    {
        var named = model.NamedParameters().ToArray();
        var inputs = named.Select((p, i) => GradCheckInputs.Uniform(100 + i, p.Tensor.Shape)).ToArray();
        Tensor RunWith(Tensor[] x)
        {
            for (int i = 0; i < named.Length; i++)
            {
                int dot = named[i].Name.LastIndexOf('.');
                var owner = dot < 0 ? model : model.GetSubmodule(named[i].Name[..dot]);
                owner.RegisterParameter(named[i].Name[(dot + 1)..], x[i]);
            }
            return run();
        }
        // The check only means something if the output follows the substituted parameters.
        var before = TensorAssert.Flat(RunWith(inputs));
        var after = TensorAssert.Flat(RunWith([.. inputs.Select(t => (t * 1.5).Detach())]));
        Assert.Contains(before.Zip(after), p => Math.Abs(p.First - p.Second) > 1e-6);
        GradCheckInputs.AssertPasses(RunWith, inputs);
    }

    [Fact]
    public void TextCnnWithMaskedPooling()
    {
        var model = new TextCnn(9, 3, [1, 2], [2, 2], dropout: 0, dtype: DType.Float64, generator: new Generator(4), padId: 1);
        var ids = Tensor.From(new long[] { 4, 2, 7, 1, 1, 3, 8, 5, 6, 2 }, 2, 5);
        CheckParameters(model, () => model.Forward(ids));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void EncoderDecoderThroughAPaddedBatch(bool attention)
    {
        var model = attention
            ? EncoderDecoder.CreateWithAttention(7, 6, 3, 4, 2, dtype: DType.Float64, generator: new Generator(5))
            : EncoderDecoder.Create(7, 6, 3, 4, 2, dtype: DType.Float64, generator: new Generator(5));
        var source = Tensor.From(new long[] { 3, 4, 5, 1, 2, 6, 1, 1 }, 2, 4);
        var lengths = Tensor.From(new long[] { 3, 2 });
        var decoderInput = Tensor.From(new long[] { 2, 3, 4, 2, 5, 1 }, 2, 3);
        CheckParameters(model, () => model.Forward(source, decoderInput, lengths));
    }
}
