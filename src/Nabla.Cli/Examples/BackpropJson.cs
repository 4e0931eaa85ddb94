using System.Text;
using System.Text.Json;
using Nabla.Autograd;

namespace Nabla.Cli.Examples;

/// <summary>
/// The machine-readable form of the worked example: one JSON object with outputs, loss and gradients first
/// (the fields scripts compare with PyTorch), then the updated weights and the gradient check.
/// Utf8JsonWriter formats doubles with the shortest text that round-trips, so nothing is lost.
/// </summary>
public static class BackpropJson
{
    public static string Serialize(BackpropResult r)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WritePropertyName("outputs");
            WriteArray(w, r.Output);
            Number(w, "loss", r.Loss);
            WriteParameters(w, "grads", r, p => p.Grad);
            WriteParameters(w, "updated", r, p => p.After);
            Number(w, "learning_rate", r.LearningRate);
            Number(w, "loss_after_step", r.LossAfterStep);
            WriteGradCheck(w, r.GradCheck);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    static void WriteParameters(Utf8JsonWriter w, string name, BackpropResult r, Func<ParameterStep, Tensor> pick)
    {
        w.WriteStartObject(name);
        foreach (var p in r.Parameters)
        {
            w.WritePropertyName(p.Name);
            WriteNested(w, pick(p));
        }
        w.WriteEndObject();
    }

    /// <summary>A 1-D tensor as an array, a 2-D tensor as an array of rows (as torch's tolist()).</summary>
    static void WriteNested(Utf8JsonWriter w, Tensor t)
    {
        var values = t.Detach().Contiguous().ToArray<double>();
        if (t.Rank == 1) { WriteArray(w, values); return; }
        if (t.Rank != 2) throw new ArgumentException($"explain backprop: cannot write a tensor of rank {t.Rank} as JSON rows.");
        int cols = t.Size(1);
        w.WriteStartArray();
        for (int r = 0; r < t.Size(0); r++) WriteArray(w, values.AsSpan(r * cols, cols));
        w.WriteEndArray();
    }

    static void WriteArray(Utf8JsonWriter w, ReadOnlySpan<double> values)
    {
        w.WriteStartArray();
        foreach (var v in values) Value(w, v);
        w.WriteEndArray();
    }

    static void WriteGradCheck(Utf8JsonWriter w, GradCheckResult g)
    {
        w.WriteStartObject("gradcheck");
        w.WriteBoolean("passed", g.Passed);
        Number(w, "max_abs_error", g.MaxAbsError);
        Number(w, "max_rel_error", g.MaxRelError);
        w.WriteEndObject();
    }

    static void Number(Utf8JsonWriter w, string name, double v)
    {
        w.WritePropertyName(name);
        Value(w, v);
    }

    // JSON has no NaN or infinity (a huge learning rate can overflow the updated weights); write them as the
    // strings "NaN", "Infinity", "-Infinity", which is how the golden fixtures spell them too.
    static void Value(Utf8JsonWriter w, double v)
    {
        if (double.IsFinite(v)) w.WriteNumberValue(v);
        else w.WriteStringValue(double.IsNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity");
    }
}
