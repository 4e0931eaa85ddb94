using Nabla.NN;
using Nabla.Optim;

namespace Nabla.Bench;

/// <summary>The standard workloads of shared/BENCHMARKS.md, each returning its figure in the table's unit.</summary>
internal static class Workloads
{
    /// <summary>The training workloads: a factory for one full step (model built, data drawn) and the samples or tokens it processes.</summary>
    public static readonly (string Key, Func<Action> MakeStep, int ItemsPerStep)[] Training =
    [
        ("mlp_train_samples_per_s", Mlp, 256),
        ("lenet_train_samples_per_s", LeNet, 256),
        ("cnn_train_samples_per_s", Cnn, 128),
        ("lstm_train_tokens_per_s", Lstm, 32 * 35),
        ("transformer_train_tokens_per_s", Transformer, 32 * 64),
    ];

    public static readonly (string Key, Func<double> Run)[] All =
    [
        ("gemm_256_gflops", () => Gemm(256)),
        ("gemm_1024_gflops", () => Gemm(1024)),
        ("gemm_2048_gflops", () => Gemm(2048)),
        ("add_1000_us", Add1000),
        .. Training.Select(t => (t.Key, (Func<double>)(() => t.ItemsPerStep / Timing.SecondsPerCall(t.MakeStep())))),
    ];

    static double Gemm(int n)
    {
        var a = Tensor.Randn(n, n);
        var b = Tensor.Randn(n, n);
        double s = Timing.SecondsPerCall(() => a.MatMul(b), minSeconds: 1.0);
        return 2.0 * n * n * n / s / 1e9;
    }

    static double Add1000()
    {
        var x = Tensor.Randn(1000);
        var y = Tensor.Randn(1000);
        // Many adds per timed call so the loop overhead is negligible; allocation of each result is included.
        const int inner = 1000;
        double s = Timing.SecondsPerCall(() => { for (int i = 0; i < inner; i++) _ = x + y; }, warmup: 100, minSeconds: 1.0);
        return s / inner * 1e6;
    }

    static Action Mlp()
    {
        var model = new Sequential(new Flatten(), new Linear(784, 256), new ReLU(), new Linear(256, 10));
        var optimizer = new SGD(model.Parameters(), lr: 0.1);
        var x = Tensor.Randn(256, 1, 28, 28);
        var y = Tensor.Randint(0, 10, [256]);
        return TrainStep(model, optimizer, x, y);
    }

    static Action LeNet()
    {
        var model = new Sequential(
            new Conv2d(1, 6, 5, padding: 2), new Sigmoid(), new AvgPool2d(2, 2),
            new Conv2d(6, 16, 5), new Sigmoid(), new AvgPool2d(2, 2), new Flatten(),
            new Linear(400, 120), new Sigmoid(), new Linear(120, 84), new Sigmoid(), new Linear(84, 10));
        var optimizer = new SGD(model.Parameters(), lr: 0.9);
        var x = Tensor.Randn(256, 1, 28, 28);
        var y = Tensor.Randint(0, 10, [256]);
        return TrainStep(model, optimizer, x, y);
    }

    static Action Cnn()
    {
        var model = new Sequential(
            new Conv2d(1, 32, 3, padding: 1), new BatchNorm2d(32), new ReLU(), new MaxPool2d(2),
            new Conv2d(32, 64, 3, padding: 1), new BatchNorm2d(64), new ReLU(), new MaxPool2d(2), new Flatten(),
            new Linear(3136, 128), new ReLU(), new Linear(128, 10));
        var optimizer = new Adam(model.Parameters(), lr: 1e-3);
        var x = Tensor.Randn(128, 1, 28, 28);
        var y = Tensor.Randint(0, 10, [128]);
        return TrainStep(model, optimizer, x, y);
    }

    /// <summary>
    /// The character LSTM of the peer: Embedding(28, 32), one-layer batch-first LSTM(32 → 256), Linear(256, 28) on
    /// every step; batch 32 of 35 tokens; Adam lr 1e-3. Tokens per second = 32·35 per step.
    /// </summary>
    static Action Lstm()
    {
        var embedding = new Embedding(28, 32);
        var lstm = new LSTM(32, 256, batchFirst: true);
        var head = new Linear(256, 28);
        var parameters = embedding.Parameters().Concat(lstm.Parameters()).Concat(head.Parameters()).ToList();
        var optimizer = new Adam(parameters, lr: 1e-3);
        var x = Tensor.Randint(0, 28, [32, 35]);
        var y = Tensor.Randint(0, 28, [32 * 35]);
        void Step()
        {
            optimizer.ZeroGrad();
            var logits = head.Forward(lstm.Forward(embedding.Forward(x)).Output).Reshape(-1, 28);
            Functional.CrossEntropy(logits, y).Backward();
            optimizer.Step();
        }
        return Step;
    }

    /// <summary>
    /// The peer's Transformer encoder: two post-norm TransformerEncoderLayer(128, 4 heads, feed-forward 512, no dropout,
    /// batch-first), mean over the sequence, Linear(128, 10); batch 32 of 64 positions; Adam lr 1e-3.
    /// Tokens per second = 32·64 per step.
    /// </summary>
    static Action Transformer()
    {
        var encoder = new TransformerEncoder(new TransformerEncoderLayer(128, 4, 512, dropout: 0.0, batchFirst: true), 2);
        var head = new Linear(128, 10);
        var optimizer = new Adam(encoder.Parameters().Concat(head.Parameters()).ToList(), lr: 1e-3);
        var x = Tensor.Randn(32, 64, 128);
        var y = Tensor.Randint(0, 10, [32]);
        void Step()
        {
            optimizer.ZeroGrad();
            Functional.CrossEntropy(head.Forward(encoder.Forward(x).Mean(1)), y).Backward();
            optimizer.Step();
        }
        return Step;
    }

    /// <summary>One full step as the peer does it: zero grads, forward, cross-entropy, backward, optimizer step.</summary>
    static Action TrainStep(Module model, Optimizer optimizer, Tensor x, Tensor y) => () =>
    {
        optimizer.ZeroGrad();
        var loss = Functional.CrossEntropy(model.Forward(x), y);
        loss.Backward();
        optimizer.Step();
    };
}
