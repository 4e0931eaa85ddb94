using Nabla.Autograd;

namespace Nabla.Models.Text;

/// <summary>How the next token is chosen from a language model's logits.</summary>
public enum DecodingStrategy
{
    /// <summary>The most likely token (argmax); the notes' predict_ch8. Deterministic.</summary>
    Greedy,
    /// <summary>A draw from softmax(logits / temperature).</summary>
    Sample,
    /// <summary>A draw from softmax(logits / temperature) restricted to the k most likely tokens.</summary>
    TopK,
}

/// <summary>A decoding strategy with its parameters; <see cref="Temperature"/> and <see cref="K"/> are ignored where they do not apply.</summary>
public sealed record Decoding(DecodingStrategy Strategy = DecodingStrategy.Greedy, double Temperature = 1.0, int K = 0)
{
    public static Decoding Greedy { get; } = new();

    public static IReadOnlyList<string> Names { get; } = ["greedy", "sample", "topk"];

    /// <summary>Throws <see cref="ArgumentException"/> when the parameters do not fit the strategy.</summary>
    public void Validate(int vocabSize)
    {
        if (Strategy != DecodingStrategy.Greedy && !(Temperature > 0 && double.IsFinite(Temperature)))
            throw new ArgumentException($"generate: temperature must be a finite number greater than 0, got {Temperature}.");
        if (Strategy == DecodingStrategy.TopK && (K < 1 || K > vocabSize))
            throw new ArgumentException($"generate: top-k needs 1 ≤ k ≤ {vocabSize} (the vocabulary size), got k={K}.");
    }
}

/// <summary>
/// Text generation with a recurrent language model: the state is warmed up on the prefix (the notes' predict_ch8:
/// the prefix is read, not predicted), then each new token is chosen from the logits of the last one and fed back.
/// Runs in evaluation mode without a graph; the model's mode is restored afterwards.
/// </summary>
public static class TextSampler
{
    /// <summary>
    /// The prefix ids followed by <paramref name="length"/> generated ids. <paramref name="generator"/> drives the
    /// random strategies (the same seed gives the same text); greedy decoding ignores it.
    /// </summary>
    public static int[] Generate(ILanguageModel model, IReadOnlyList<int> prefix, int length, Decoding decoding, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(prefix);
        ArgumentNullException.ThrowIfNull(decoding);
        if (prefix.Count == 0)
            throw new ArgumentException("generate: the prefix is empty; give at least one token to start from.");
        if (length < 0)
            throw new ArgumentException($"generate: length must be ≥ 0, got {length}.");
        decoding.Validate(model.VocabSize);
        foreach (int id in prefix)
            if (id < 0 || id >= model.VocabSize)
                throw new ArgumentException($"generate: prefix token id {id} is outside the vocabulary [0, {model.VocabSize}).");
        generator ??= new Generator(0);

        var module = model.Module;
        bool wasTraining = module.IsTraining;
        module.Eval();
        try
        {
            using var _ = new NoGrad();
            var ids = new List<int>(prefix.Count + length);
            ids.AddRange(prefix);
            // Warm-up: the whole prefix in one call; its last logits choose the first new token.
            var x = Tensor.From(prefix.Select(i => (long)i).ToArray(), [1, prefix.Count]);
            var output = model.Forward(x, model.InitialState(1));
            var state = output.State;
            var last = output.Logits.Select(1, prefix.Count - 1).Reshape(model.VocabSize);
            for (int step = 0; step < length; step++)
            {
                int next = NextToken(last, decoding, generator);
                ids.Add(next);
                if (step == length - 1) break;
                output = model.Forward(Tensor.From(new long[] { next }, [1, 1]), state);
                state = output.State;
                last = output.Logits.Reshape(model.VocabSize);
            }
            return ids.ToArray();
        }
        finally
        {
            module.Train(wasTraining);
        }
    }

    /// <summary>The next token for logits [V] under <paramref name="decoding"/>.</summary>
    public static int NextToken(Tensor logits, Decoding decoding, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(decoding);
        ArgumentNullException.ThrowIfNull(generator);
        if (logits.Rank != 1 || logits.NumElements == 0 || !logits.DType.IsFloating())
            throw new ArgumentException($"generate: expected logits of shape [vocab] (floating), got {logits.DType.TorchName()} of shape {logits.Shape.ShapeString()}.");
        var z = logits.Detach().To(DType.Float64).Contiguous().ToArray<double>();
        decoding.Validate(z.Length);
        return decoding.Strategy switch
        {
            DecodingStrategy.Greedy => ArgMax(z),
            DecodingStrategy.Sample => Draw(Probabilities(z, decoding.Temperature, z.Length), generator),
            _ => Draw(Probabilities(z, decoding.Temperature, decoding.K), generator),
        };
    }

    /// <summary>
    /// softmax(logits / T) over the <paramref name="k"/> largest logits (ties broken towards the lower id), zero elsewhere.
    /// Shifting by the maximum first keeps exp finite for any temperature, so T → 0 tends to the one-hot of the argmax.
    /// </summary>
    public static double[] Probabilities(double[] logits, double temperature, int k)
    {
        ArgumentNullException.ThrowIfNull(logits);
        int v = logits.Length;
        var keep = new bool[v];
        if (k >= v) Array.Fill(keep, true);
        else
        {
            var order = Enumerable.Range(0, v).ToArray();
            Array.Sort(order, (a, b) => logits[b] != logits[a] ? logits[b].CompareTo(logits[a]) : a.CompareTo(b));
            for (int i = 0; i < k; i++) keep[order[i]] = true;
        }
        double max = double.NegativeInfinity;
        for (int i = 0; i < v; i++) if (keep[i]) max = Math.Max(max, logits[i]);
        var p = new double[v];
        double sum = 0;
        for (int i = 0; i < v; i++)
            if (keep[i]) sum += p[i] = Math.Exp((logits[i] - max) / temperature);
        for (int i = 0; i < v; i++) p[i] /= sum;
        return p;
    }

    static int ArgMax(double[] z)
    {
        int best = 0;
        for (int i = 1; i < z.Length; i++) if (z[i] > z[best]) best = i;   // first maximum, as torch.argmax
        return best;
    }

    /// <summary>Inverse-CDF draw; the last token with non-zero mass absorbs rounding so the draw never falls off the end.</summary>
    static int Draw(double[] p, Generator generator)
    {
        double u = generator.NextDouble(), acc = 0;
        int lastPositive = 0;
        for (int i = 0; i < p.Length; i++)
        {
            if (p[i] <= 0) continue;
            lastPositive = i;
            acc += p[i];
            if (u < acc) return i;
        }
        return lastPositive;
    }
}
