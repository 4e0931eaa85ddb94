namespace Nabla.Cli.Runs;

/// <summary>
/// The language models `nabla train` knows and the defaults each trains with; every value can be overridden on
/// the command line. <c>char-lm</c> is the notes' character model of The Time Machine (8.5, 9.2: one LSTM layer of
/// 256, 35 steps, batch 32, clipping at 1) with Adam instead of SGD lr 1 so it converges in far fewer epochs;
/// <c>word-lm</c> is a word model of the Penn Treebank (Zaremba et al.'s small LSTM, PyTorch's word_language_model).
/// <c>gpt</c> is a decoder-only Transformer (<see cref="Nabla.Models.Text.GptLanguageModel"/>) on the same characters,
/// sized to char-lm's parameter count: its <see cref="Cell"/> is "transformer", <see cref="Hidden"/> is d_model,
/// <see cref="Layers"/> the Transformer layers, <see cref="Heads"/> and <see cref="FeedForward"/> the attention heads
/// and feed-forward width, and the window (max_len) is <see cref="NumSteps"/>; <see cref="Embed"/> is unused.
/// The defaults come from measured runs, recorded in docs/LANGUAGE-MODELS.md; all anneal the rate with a cosine
/// schedule, without which char-lm's perplexity stalls near 3.0.
/// </summary>
public sealed record LanguageModelRecipe(
    string Name, string Description, string Tokenizer, string DefaultData,
    string Cell, int Hidden, int Layers, int Embed, double Dropout,
    int NumSteps, int BatchSize, string Sampling, double Clip,
    string Optimizer, double Lr, int Epochs, string Schedule, int Heads = 0, int FeedForward = 0)
{
    /// <summary>The cell name of the Transformer recipe (gpt); the others are recurrent.</summary>
    public const string TransformerCell = "transformer";

    public bool IsTransformer => Cell == TransformerCell;

    public static IReadOnlyList<LanguageModelRecipe> All { get; } =
    [
        new("char-lm", "Character-level RNN/GRU/LSTM language model (notes 8.5, 9.1–9.2); --data timemachine or any UTF-8 text file",
            "char", "timemachine", Cell: "lstm", Hidden: 256, Layers: 1, Embed: 32, Dropout: 0, NumSteps: 35, BatchSize: 32,
            Sampling: "sequential", Clip: 1, Optimizer: "adam", Lr: 0.01, Epochs: 100, Schedule: "cosine"),
        new("word-lm", "Word-level RNN/GRU/LSTM language model of the Penn Treebank (train/valid/test)",
            "word", "ptb", Cell: "lstm", Hidden: 256, Layers: 2, Embed: 256, Dropout: 0.3, NumSteps: 35, BatchSize: 32,
            Sampling: "sequential", Clip: 0.25, Optimizer: "adam", Lr: 0.002, Epochs: 8, Schedule: "cosine"),
        new("gpt", "Decoder-only Transformer (GPT-style) character language model, pre-norm, causal; --data timemachine or any UTF-8 text file",
            "char", "timemachine", Cell: TransformerCell, Hidden: 128, Layers: 2, Embed: 0, Dropout: 0, NumSteps: 35, BatchSize: 32,
            Sampling: "random", Clip: 1, Optimizer: "adam", Lr: 0.001, Epochs: 20, Schedule: "cosine", Heads: 4, FeedForward: 320),
    ];

    /// <summary>The recurrent recipes (char-lm, word-lm), which take --cell and --embed.</summary>
    public static IEnumerable<string> RecurrentNames => All.Where(r => !r.IsTransformer).Select(r => r.Name);

    public static IEnumerable<string> Names => All.Select(r => r.Name);

    /// <summary>The recipe for <paramref name="model"/> (case-insensitive), or null when it is not a language model.</summary>
    public static LanguageModelRecipe? Find(string? model) =>
        model is null ? null : All.FirstOrDefault(r => string.Equals(r.Name, model, StringComparison.OrdinalIgnoreCase));

    public static IReadOnlyList<string> SamplingNames { get; } = ["random", "sequential"];
}
