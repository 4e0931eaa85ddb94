namespace Nabla.Cli.Runs;

/// <summary>
/// The translation architectures `nabla train translate --arch` knows and the defaults each trains with on the
/// shipped English→French pairs; --epochs, --batch-size, --lr, --embed, --hidden, --layers, --heads, --dropout and
/// --clip override them. The GRU models are the notes' (10.7, 10.4) at the size of a real corpus; the Transformer
/// is the notes' encoder-decoder (10.7) with PyTorch's layers. Every recipe warms the learning rate up linearly
/// over <see cref="WarmupSteps"/> batches and then anneals it to zero with a cosine over the remaining batches.
/// The figures they reach are in docs/TRANSLATION.md.
/// </summary>
public sealed record TranslationRecipe(
    string Arch, string Description, int Embed, int Hidden, int Layers, int Heads, int FeedForward, double Dropout,
    int BatchSize, string Optimizer, double Lr, int WarmupSteps, double Clip, int Epochs)
{
    public const string Seq2Seq = "seq2seq", Seq2SeqAttention = "seq2seq-attn", Transformer = "transformer";

    public static IReadOnlyList<TranslationRecipe> All { get; } =
    [
        new(Seq2Seq, "GRU encoder-decoder (notes 10.7)", Embed: 256, Hidden: 256, Layers: 2, Heads: 0, FeedForward: 0, Dropout: 0.2,
            BatchSize: 128, Optimizer: "adam", Lr: 0.003, WarmupSteps: 200, Clip: 1, Epochs: 4),
        new(Seq2SeqAttention, "GRU encoder-decoder with additive (Bahdanau) attention (notes 10.4)", Embed: 256, Hidden: 256, Layers: 2, Heads: 0, FeedForward: 0,
            Dropout: 0.2, BatchSize: 128, Optimizer: "adam", Lr: 0.003, WarmupSteps: 200, Clip: 1, Epochs: 5),
        new(Transformer, "Transformer encoder-decoder (notes 10.7, post-norm as PyTorch's default)", Embed: 256, Hidden: 256, Layers: 2, Heads: 4,
            FeedForward: 1024, Dropout: 0.1, BatchSize: 128, Optimizer: "adam", Lr: 0.001, WarmupSteps: 400, Clip: 1, Epochs: 4),
    ];

    public static IEnumerable<string> Names => All.Select(r => r.Arch);

    /// <summary>The recipe of <paramref name="arch"/> (case-insensitive), or null.</summary>
    public static TranslationRecipe? Find(string? arch) =>
        arch is null ? null : All.FirstOrDefault(r => string.Equals(r.Arch, arch, StringComparison.OrdinalIgnoreCase));

    /// <summary>The learning-rate factor at batch <paramref name="step"/> of <paramref name="totalSteps"/>: linear warm-up, then cosine to 0.</summary>
    public static double LrFactor(int step, int warmupSteps, int totalSteps)
    {
        if (step < warmupSteps) return (step + 1) / (double)warmupSteps;   // warmupSteps 0: straight to the cosine
        int span = Math.Max(1, totalSteps - warmupSteps);
        double progress = Math.Min(1, (step - warmupSteps) / (double)span);
        return 0.5 * (1 + Math.Cos(Math.PI * progress));
    }
}
