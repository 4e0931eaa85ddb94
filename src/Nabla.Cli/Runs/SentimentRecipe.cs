namespace Nabla.Cli.Runs;

/// <summary>
/// How `nabla train sentiment-bilstm|sentiment-textcnn` trains by default on the 1,600 training sentences of the UCI
/// sentiment corpus (docs/SENTIMENT.md tells how these were chosen, on the validation slice only). The architecture
/// fields have no command-line option; --epochs, --lr, --optimizer, --batch-size and --weight-decay override the rest.
/// </summary>
/// <param name="EmbedSize">width of each embedding.</param>
/// <param name="Hidden">LSTM hidden size (bilstm) or channels per kernel width (textcnn).</param>
/// <param name="Layers">LSTM layers (bilstm; the notes use 2).</param>
/// <param name="EmbeddingDropout">dropout on the embeddings (bilstm).</param>
/// <param name="Dropout">dropout between LSTM layers (bilstm).</param>
/// <param name="OutputDropout">dropout before the decoder (both).</param>
/// <param name="MinFreq">training-set frequency below which a word reads as &lt;unk&gt;.</param>
/// <param name="ValidationFraction">share of the training part kept for choosing the epoch (best validation loss).</param>
/// <param name="Pretrain">whether the embeddings start from skip-gram vectors trained on the shipped text first.</param>
public sealed record SentimentRecipe(
    string Optimizer, double Lr, int BatchSize, int Epochs, double WeightDecay,
    int EmbedSize, int Hidden, int Layers, double EmbeddingDropout, double Dropout, double OutputDropout,
    int MinFreq, double ValidationFraction, bool Pretrain)
{
    /// <summary>
    /// Which validation figure picks the kept epoch: "accuracy" (highest validation accuracy, ties to the lower
    /// validation loss) or "loss" (lowest validation loss).
    /// </summary>
    public string SelectBy { get; init; } = "loss";

    /// <summary>Stop after this many epochs without a better kept epoch (by <see cref="SelectBy"/>); null trains every epoch.</summary>
    public int? Patience { get; init; }

    /// <summary>How <see cref="Pretrain"/> makes its vectors: "fasttext", "word2vec" or "glove" (<see cref="SentimentPretraining"/>; `--vectors`).</summary>
    public string Vectors { get; init; } = SentimentPretraining.FastTextMethod;

    /// <summary>Epochs of the word-vector pretraining; null is the method's default (fastText and word2vec 5, GloVe 15).</summary>
    public int? PretrainEpochs { get; init; }

    /// <summary>How the pretrained vectors are scaled (<see cref="SentimentPretraining.TableScaling"/> and its siblings).</summary>
    public string PretrainScaling { get; init; } = SentimentPretraining.WordScaling;

    /// <summary>
    /// textCNN: whether the trainable embedding starts from the pretrained vectors too (the notes), or keeps its
    /// random N(0, 1) start while only the frozen constant embedding holds them.
    /// </summary>
    public bool PretrainTrainable { get; init; } = true;

    /// <summary>Whether textCNN's second ("constant") embedding stays fixed at the pretrained vectors, as in the notes.</summary>
    public bool FreezeConstant { get; init; } = true;

    /// <summary>textCNN: the widths of its 1-D kernels, each with <c>Hidden</c> channels (the notes: 3, 4, 5).</summary>
    public int[] KernelSizes { get; init; } = [3, 4, 5];

    /// <summary>
    /// textCNN: whether max-over-time pooling skips the windows past each sentence's end (the model's padding id), so
    /// a sentence's features do not depend on the longest sentence of its batch.
    /// </summary>
    public bool MaskPadding { get; init; } = true;

    public static SentimentRecipe For(string model) => model.ToLowerInvariant() switch
    {
        // Chosen on the validation slice (docs/SENTIMENT.md, third round): kernel widths 1/2/3 instead of the
        // notes' 3/4/5 (these sentences are short and their polarity is mostly single words), fastText vectors
        // scaled per word in both embeddings, pooling inside each sentence, Adam 3e-3, up to 30 epochs.
        SentimentRun.TextCnn => new("adam", 3e-3, 64, 30, 0, EmbedSize: 100, Hidden: 100, Layers: 0,
            EmbeddingDropout: 0, Dropout: 0, OutputDropout: 0.5, MinFreq: 1, ValidationFraction: 0.1, Pretrain: true)
        { SelectBy = "accuracy", Patience = 6, KernelSizes = [1, 2, 3] },
        // Chosen on the validation slice (docs/SENTIMENT.md): fastText vectors (scaled per word since the third
        // round), Adam 5e-3, up to 20 epochs with patience 6, the epoch of the highest validation accuracy.
        _ => new("adam", 5e-3, 64, 20, 0, EmbedSize: 100, Hidden: 64, Layers: 2,
            EmbeddingDropout: 0.3, Dropout: 0.3, OutputDropout: 0.5, MinFreq: 1, ValidationFraction: 0.1, Pretrain: true)
        { SelectBy = "accuracy", Patience = 6 },
    };
}
