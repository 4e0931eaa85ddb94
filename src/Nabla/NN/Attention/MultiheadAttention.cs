namespace Nabla.NN;

/// <summary>
/// Multi-head attention, identical to PyTorch's nn.MultiheadAttention for embed_dim = kdim = vdim (no
/// add_bias_kv, no add_zero_attn). Each of <see cref="NumHeads"/> heads projects queries, keys and values to
/// head_dim = embed_dim / num_heads, runs scaled dot-product attention, and the heads' outputs are concatenated
/// and projected back. Parameters (PyTorch's names and order): <c>in_proj_weight</c> [3E, E] (rows: W_q, W_k, W_v),
/// <c>in_proj_bias</c> [3E], <c>out_proj.weight</c> [E, E], <c>out_proj.bias</c> [E]; the biases are absent with
/// <c>bias: false</c>. Initialisation as PyTorch: xavier_uniform_ on in_proj_weight, Linear's default on
/// out_proj.weight, zero biases. See docs/attention.md for the masks and the fully-masked-row rule.
/// </summary>
public sealed partial class MultiheadAttention : Module
{
    public int EmbedDim { get; }
    public int NumHeads { get; }
    public int HeadDim { get; }
    public bool BatchFirst { get; }
    public double DropoutP { get; }

    readonly Linear _outProj;
    readonly Generator? _generator;

    public MultiheadAttention(int embedDim, int numHeads, double dropout = 0, bool bias = true, bool batchFirst = false,
        DType dtype = DType.Float32, Generator? generator = null)
    {
        if (embedDim <= 0 || numHeads <= 0)
            throw new ArgumentException($"MultiheadAttention: embed_dim and num_heads must be positive, got embed_dim {embedDim} and num_heads {numHeads}.");
        if (embedDim % numHeads != 0)
            throw new ArgumentException($"MultiheadAttention: embed_dim {embedDim} must be divisible by num_heads {numHeads} (each head gets embed_dim / num_heads features).");
        if (!dtype.IsFloating())
            throw new ArgumentException($"MultiheadAttention: parameters must be float32 or float64, got {dtype.TorchName()}.");
        Functional.CheckDropoutProbability(dropout, "MultiheadAttention");
        EmbedDim = embedDim;
        NumHeads = numHeads;
        HeadDim = embedDim / numHeads;
        BatchFirst = batchFirst;
        DropoutP = dropout;
        _generator = generator;

        var w = RegisterParameter("in_proj_weight", Tensor.Zeros([3 * embedDim, embedDim], dtype));
        RegisterParameter("in_proj_bias", bias ? Tensor.Zeros([3 * embedDim], dtype) : null);
        _outProj = RegisterModule("out_proj", new Linear(embedDim, embedDim, bias, dtype, generator));
        Init.XavierUniform(w, generator: generator);
        if (_outProj.Bias is { } b) Init.Zeros(b);
    }

    public Tensor InProjWeight => Param("in_proj_weight")!;
    public Tensor? InProjBias => Param("in_proj_bias");
    public Linear OutProj => _outProj;

    /// <summary>
    /// When true, every forward keeps its attention weights (averaged over heads, detached) in
    /// <see cref="LastWeights"/> even where the caller asked for none — how a heat map reads the cross-attention
    /// inside a Transformer decoder layer without changing the layer's API. Off by default (it costs a reduction).
    /// </summary>
    public bool RecordWeights { get; set; }

    /// <summary>The weights of the last forward while <see cref="RecordWeights"/> was on: [N, L, S] (batch-first order).</summary>
    public Tensor? LastWeights { get; private set; }

    /// <summary>Self-attention without masks: the input is query, key and value; returns the output only.</summary>
    public override Tensor Forward(Tensor input) => Forward(input, input, input, needWeights: false).Output;

    public override string ExtraRepr() => $"embed_dim={EmbedDim}, num_heads={NumHeads}" + (BatchFirst ? ", batch_first=True" : "");
}
