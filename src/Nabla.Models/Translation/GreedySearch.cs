using Nabla.Models.Text;
using Nabla.Autograd;

namespace Nabla.Models.Translation;

/// <summary>
/// Greedy decoding (notes 10.8.1): at every step each hypothesis takes its most probable next token (the lowest id
/// among equals), until it emits &lt;eos&gt; or reaches the maximum length. A whole batch decodes together; a row that
/// has ended is still stepped (the batch stays rectangular) but its outputs are ignored.
/// </summary>
public static class GreedySearch
{
    /// <summary>Decodes <paramref name="batch"/> rows from <paramref name="state"/>; one hypothesis per row.</summary>
    public static Hypothesis[] Decode<TState>(IStepModel<TState> model, TState state, int batch, SearchOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        options.Check("greedy search");
        if (batch < 1) throw new ArgumentOutOfRangeException(nameof(batch), batch, $"greedy search: the batch must hold at least one row, got {batch}.");
        using var _ = new NoGrad();
        var tokens = new List<int>[batch];
        var logProb = new double[batch];
        var ended = new bool[batch];
        for (int i = 0; i < batch; i++) tokens[i] = [];
        var last = new long[batch];
        Array.Fill(last, options.BosId);
        int live = batch;
        for (int step = 0; step < options.MaxLength && live > 0; step++)
        {
            var (logProbs, next) = model.Step(state, Tensor.From(last, batch));
            state = next;
            var rows = StepRows.Read(logProbs, batch, "greedy search");
            int vocab = rows.Length / batch;
            for (int i = 0; i < batch; i++)
            {
                if (ended[i]) continue;
                int best = 0;
                for (int v = 1; v < vocab; v++)
                    if (rows[i * vocab + v] > rows[i * vocab + best]) best = v;
                logProb[i] += rows[i * vocab + best];
                last[i] = best;
                if (best == options.EosId) { ended[i] = true; live--; }
                else tokens[i].Add(best);
            }
        }
        var result = new Hypothesis[batch];
        for (int i = 0; i < batch; i++) result[i] = new Hypothesis([.. tokens[i]], logProb[i], ended[i]);
        return result;
    }
}

/// <summary>Reads a step's log-probabilities [B, V] into doubles, checking the shape.</summary>
static class StepRows
{
    public static double[] Read(Tensor logProbs, int batch, string op)
    {
        ArgumentNullException.ThrowIfNull(logProbs);
        if (logProbs.Rank != 2 || logProbs.Size(0) != batch || logProbs.Size(1) < 1 || !logProbs.DType.IsFloating())
            throw new ArgumentException($"{op}: the step model must return floating log-probabilities of shape [{batch}, vocab], got {logProbs.DType.TorchName()} {logProbs.Shape.ShapeString()}.");
        return logProbs.To(DType.Float64).Contiguous().ToArray<double>();
    }
}
