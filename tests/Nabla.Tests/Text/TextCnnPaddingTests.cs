using Nabla.Models.Vision;
using Nabla.Tests.Support;

namespace Nabla.Tests.Text;

/// <summary>
/// textCNN with a padding id pools only over the windows inside each sentence, so a sentence's logits do not depend
/// on how far its batch is padded; without one it is the notes' model, whose pooling sees the padding.
/// </summary>
public class TextCnnPaddingTests
{
    static TextCnn Model(int? padId) => Eval(new TextCnn(20, 6, [2, 3], [5, 4], generator: new Generator(11), padId: padId));

    static TextCnn Eval(TextCnn model)
    {
        model.Eval();
        return model;
    }

    [Fact]
    public void APaddedCopyOfASentenceGivesTheSameLogitsAsTheSentenceAlone()
    {
        var model = Model(padId: 1);
        var alone = model.Forward(Tensor.From(new long[] { 4, 9, 2, 17, 5 }, 1, 5));
        var padded = model.Forward(Tensor.From(new long[] { 4, 9, 2, 17, 5, 1, 1, 1 }, 1, 8));
        TensorAssert.Close(alone, padded, rtol: 1e-6, atol: 1e-6, what: "padded vs alone");

        // Row 0 of a batch padded to 7 steps by a longer sentence.
        var batch = model.Forward(Tensor.From(new long[] { 4, 9, 2, 17, 5, 1, 1, 3, 3, 8, 12, 6, 7, 19 }, 2, 7));
        TensorAssert.Close(alone, batch.Narrow(0, 0, 1), rtol: 1e-6, atol: 1e-6, what: "row 0 of a mixed batch");
    }

    [Fact]
    public void WithoutAPaddingIdThePoolingSeesThePadding()
    {
        // The same weights (same seed) without the padding id: the notes' pooling, which the padding changes.
        var notes = Model(padId: null);
        var alone = notes.Forward(Tensor.From(new long[] { 4, 9, 2, 17, 5 }, 1, 5));
        var padded = notes.Forward(Tensor.From(new long[] { 4, 9, 2, 17, 5, 1, 1, 1 }, 1, 8));
        Assert.Contains(TensorAssert.Flat(alone).Zip(TensorAssert.Flat(padded)), p => Math.Abs(p.First - p.Second) > 1e-4);

        // With lengths equal to the full width the masked model is the notes' model.
        var masked = Model(padId: 1);
        var full = masked.Forward(Tensor.From(new long[] { 4, 9, 2, 17, 5, 1, 1, 1 }, 1, 8), Tensor.From(new long[] { 8 }));
        TensorAssert.Close(padded, full, rtol: 1e-6, atol: 1e-6, what: "every window counted");
    }

    [Fact]
    public void ASentenceShorterThanAKernelKeepsItsFirstWindow()
    {
        var model = Model(padId: 1);
        // One token: the width-2 and width-3 kernels see it with padding in window 0, and only there.
        var three = model.Forward(Tensor.From(new long[] { 7, 1, 1 }, 1, 3));
        var six = model.Forward(Tensor.From(new long[] { 7, 1, 1, 1, 1, 1 }, 1, 6));
        TensorAssert.Close(three, six, rtol: 1e-6, atol: 1e-6, what: "short sentence, more padding");
    }

    [Fact]
    public void GradientsReachEveryParameterThroughTheMaskedPooling()
    {
        var model = new TextCnn(20, 4, [2, 3], [6, 6], dropout: 0, generator: new Generator(5), padId: 1);
        var logits = model.Forward(Tensor.From(new long[] { 4, 9, 2, 1, 3, 3, 8, 12 }, 2, 4));
        Nabla.NN.Functional.CrossEntropy(logits, Tensor.From(new long[] { 0, 1 })).Backward();
        foreach (var (key, p) in model.NamedParameters())
            Assert.True(p.Grad is not null && TensorAssert.Flat(p.Grad).Any(g => g != 0), $"{key} has no gradient");
    }

    [Fact]
    public void BadLengthsAndPaddingAreRefusedWithTheShapes()
    {
        var model = Model(padId: 1);
        var ids = Tensor.From(new long[] { 4, 9, 2, 1, 1, 1 }, 2, 3);
        Assert.Contains("TextCnn: row 1 of the token ids of shape [2, 3] is all padding (id 1)",
            Assert.Throws<ArgumentException>(() => model.Forward(ids)).Message);
        Assert.Contains("TextCnn: length 4 of row 0 is outside 1..3 for token ids of shape [2, 3]",
            Assert.Throws<ArgumentException>(() => model.Forward(ids, Tensor.From(new long[] { 4, 1 }))).Message);
        Assert.Contains("TextCnn: lengths must be int64 of shape [2] for token ids of shape [2, 3], got int64 [1]",
            Assert.Throws<ArgumentException>(() => model.Forward(ids, Tensor.From(new long[] { 2 }))).Message);
        Assert.Contains("TextCnn: the padding id 20 is not an id of a vocabulary of 20 tokens",
            Assert.Throws<ArgumentException>(() => new TextCnn(20, 4, padId: 20)).Message);
    }
}
