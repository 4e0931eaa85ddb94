using System.Text.Json;
using Nabla.Models.Translation;
using Nabla.NN;
using Nabla.Tests.Support;

namespace Nabla.Tests.Translation;

/// <summary>
/// The checks every translation mirror's fixture shares (tools/golden/seq2seq.py's batch_record): the state-dict
/// description, and the teacher-forced pass over the padded batch — logits, masked loss, the logits' gradient and
/// every parameter gradient to 1e-5.
/// </summary>
static class TranslationGolden
{
    static Tensor T(JsonElement c, string key) => GoldenFixture.ReadTensor(c.GetProperty(key));

    /// <summary>State-dict keys with shapes (in PyTorch's order unless <paramref name="anyOrder"/>) and the parameter count.</summary>
    public static void AssertDescribes(JsonElement expected, Module model, bool anyOrder = false)
    {
        var keys = expected.GetProperty("keys").EnumerateArray()
            .Select(k => $"{k[0].GetString()} [{string.Join(", ", k[1].EnumerateArray().Select(d => d.GetInt32()))}]");
        var actual = model.StateDict().Select(p => $"{p.Key} [{string.Join(", ", p.Value.Shape)}]");
        if (anyOrder) Assert.Equal(keys.Order(), actual.Order());
        else Assert.Equal(keys, actual);
        Assert.Equal(expected.GetProperty("params").GetInt64(), model.NumParameters());
    }

    /// <summary>
    /// Runs the case's teacher-forced batch through <paramref name="model"/> (weights already loaded) and checks it
    /// against PyTorch; <paramref name="afterForward"/> checks what the forward left behind (attention weights).
    /// </summary>
    public static void AssertTeacherForcedBatch(JsonElement c, TranslationModel model, Action? afterForward = null)
    {
        var target = T(c, "target");
        var decoderInput = EncoderDecoder.TeacherForcingInput(target, c.GetProperty("bos").GetInt32());
        TensorAssert.Equal(T(c, "decoder_input"), decoderInput, "teacher forcing input");
        var logits = model.Forward(T(c, "source"), decoderInput, T(c, "source_lengths"));
        logits.RetainGrad();
        var loss = MaskedSoftmaxCELoss.Forward(logits, target, T(c, "target_lengths"));
        TensorAssert.Close(T(c, "logits"), logits, 1e-5, 1e-5, "logits");
        afterForward?.Invoke();
        TensorAssert.Close(T(c, "loss"), loss, 1e-5, 1e-5, "loss");
        loss.Sum().Backward();
        TensorAssert.Close(T(c, "logits_grad"), logits.Grad!, 1e-5, 1e-5, "logits gradient");
        var grads = c.GetProperty("grads");
        var parameters = model.NamedParameters().ToList();
        Assert.Equal(grads.EnumerateObject().Count(), parameters.Count);
        foreach (var (pname, p) in parameters)
            TensorAssert.Close(GoldenFixture.ReadTensor(grads.GetProperty(pname)), p.Grad!, 1e-5, 1e-5, $"gradient of {pname}");
    }
}
